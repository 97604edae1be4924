package cmd

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// runEnv runs msgplay in-process with the given environment.
func runEnv(env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}
	code = Run(args, ios)
	return code, out.String(), errb.String()
}

// TestEveryDefaultRunShowsAsLanes runs every pattern's default run as
// lanes at 100 columns: none falls back to text lines, no lane name is cut
// to a fragment, every short name is defined in the legend, and no line
// passes the width.
func TestEveryDefaultRunShowsAsLanes(t *testing.T) {
	if len(patternList) < 11 {
		t.Fatalf("%d patterns; the test wants all of them", len(patternList))
	}
	for _, p := range patternList {
		t.Run(p.name, func(t *testing.T) {
			code, out, errs := runEnv(map[string]string{"COLUMNS": "100"}, p.name, "--format", "lanes")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if strings.Contains(out, "do not fit") {
				t.Fatalf("fell back to text:\n%s", out)
			}
			lines := strings.Split(out, "\n")
			for _, l := range lines {
				if n := utf8.RuneCountInString(l); n > 100 {
					t.Errorf("line of %d columns: %q", n, l)
				}
			}
			header := laneHeader(t, lines)
			if strings.Contains(header, "…") {
				t.Errorf("a lane name is cut: %q", header)
			}
			_, js, _ := runEnv(nil, p.name, "--format", "json")
			var actors []string // every actor and receiver the run names
			for _, line := range strings.Split(strings.TrimSpace(js), "\n") {
				var e struct {
					Actor, To string
					Actors    []string
				}
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("%v: %q", err, line)
				}
				actors = append(append(actors, e.Actor, e.To), e.Actors...)
			}
			for _, name := range strings.Fields(header) {
				defined := regexp.MustCompile(`(^|[ ·])` + regexp.QuoteMeta(name) + ` = `)
				if !slices.Contains(actors, name) && !defined.MatchString(out) {
					t.Errorf("lane %q is neither an actor of the run nor defined in the legend", name)
				}
			}
		})
	}
}

// laneHeader returns the line of lane names: the one just above the first
// row of lanes.
func laneHeader(t *testing.T, lines []string) string {
	for i, l := range lines {
		if i > 0 && strings.Contains(l, "│") && strings.HasSuffix(strings.TrimSpace(l[:min(len(l), 12)]), "ms") {
			return lines[i-1]
		}
	}
	t.Fatal("no row of lanes")
	return ""
}

// TestTextFollowsTheWidth runs every pattern's default run as text at 80
// columns ($COLUMNS): no line passes 80.
func TestTextFollowsTheWidth(t *testing.T) {
	for _, p := range patternList {
		for _, format := range []string{"text", "lanes"} {
			_, out, _ := runEnv(map[string]string{"COLUMNS": "80"}, p.name, "--format", format)
			for _, l := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("%s --format %s: line of %d columns: %q", p.name, format, n, l)
				}
			}
		}
	}
}

// TestLanesAllDrawsEveryQueue checks the fold: pubsub's subscription
// queues are in their subscribers' lanes by default, in lanes of their own
// with --lanes all, which implies the lanes view.
func TestLanesAllDrawsEveryQueue(t *testing.T) {
	_, folded, _ := runEnv(nil, "pubsub", "--subscribers", "inventory,shipping", "--format", "lanes")
	if !strings.Contains(folded, "in their consumer's lane: orders/inventory · orders/shipping") {
		t.Errorf("no fold legend:\n%s", folded)
	}
	if regexp.MustCompile(`(?m)^ +order-service +orders +inventory +shipping$`).FindString(folded) == "" {
		t.Errorf("want the lanes order-service, orders, inventory, shipping:\n%s", folded)
	}
	_, all, _ := runEnv(nil, "pubsub", "--subscribers", "inventory,shipping", "--lanes", "all")
	if strings.Contains(all, "in their consumer's lane") || !strings.Contains(all, "orders/inventory") ||
		!strings.Contains(all, "│") {
		t.Errorf("--lanes all should draw every queue as a lane:\n%s", all)
	}
	code, _, errs := runEnv(nil, "pubsub", "--lanes", "all", "--format", "json")
	if code != 2 || !strings.Contains(errs, "--lanes all") {
		t.Errorf("--lanes all --format json: exit %d, %q; want a usage error", code, errs)
	}
}

// TestColor256FollowsTheTerminal checks 256 colors are used where TERM
// or COLORTERM say the terminal has them, and not elsewhere.
func TestColor256FollowsTheTerminal(t *testing.T) {
	for env, want := range map[string]bool{
		"xterm-256color": true, "screen-256color": true, "xterm": false, "": false, "truecolor": true,
	} {
		app := &App{IO: &IOStreams{Getenv: func(k string) string {
			if env == "truecolor" {
				return map[string]string{"COLORTERM": "truecolor"}[k]
			}
			return map[string]string{"TERM": env}[k]
		}}}
		if got := app.color256(); got != want {
			t.Errorf("%q: 256 colors %v, want %v", env, got, want)
		}
	}
}
