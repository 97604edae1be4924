package cmd

import (
	"fmt"
	"strings"
)

// replaceList is a comma-separated list of names whose first use replaces
// the default rather than adding to it.
type replaceList struct {
	list *[]string
	kind string
	set  bool
}

func (v *replaceList) String() string { return strings.Join(*v.list, ",") }
func (v *replaceList) Type() string   { return v.kind }
func (v *replaceList) Set(s string) error {
	if !v.set {
		*v.list = nil
		v.set = true
	}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return fmt.Errorf("%q has an empty name: want names separated by commas, such as inventory,email", s)
		}
		*v.list = append(*v.list, name)
	}
	return nil
}
