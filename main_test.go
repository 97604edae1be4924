package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/msgplay/msgplay/cmd"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"msgplay": func() { os.Exit(cmd.Main()) },
	})
}

// TestScripts runs testdata/script/*.txtar: every --help demo with its
// golden output, the determinism checks and the bad-input cases. Run with
// UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change,
// then read every diff before committing it.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("UPDATE_GOLDEN") == "1",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			env.Setenv("COLUMNS", "")
			return nil
		},
	})
}

// TestEveryDemoHasAScript keeps --help honest: each example a pattern's
// help shows must be run, as it is written, by some script.
func TestEveryDemoHasAScript(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	var scripts strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scripts.Write(b)
	}
	runs := map[string]bool{}
	for _, line := range strings.Split(scripts.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "exec msgplay "); ok {
			runs[strings.TrimSpace(rest)] = true
		}
	}
	root := cmd.NewRootCmd(cmd.System(), nil)
	demos := 0
	for _, c := range root.Commands() {
		for _, line := range strings.Split(c.Example, "\n") {
			rest, ok := strings.CutPrefix(strings.TrimSpace(line), "msgplay ")
			if !ok {
				continue
			}
			demos++
			if !runs[rest] {
				t.Errorf("%s --help shows `msgplay %s`, but no script runs it", c.Name(), rest)
			}
		}
	}
	if demos == 0 {
		t.Fatal("found no demos in any command's help")
	}
}
