package trace

import (
	"testing"
	"unicode/utf8"
)

// TestEveryKindHasARow fails when a kind is added to event.go without its
// row in kinds.go, or with a row a renderer cannot draw.
func TestEveryKindHasARow(t *testing.T) {
	names, totals := map[string]Kind{}, map[string]Kind{}
	for k := Kind(0); k < numKinds; k++ {
		ki := &kinds[k]
		if ki.name == "" {
			t.Errorf("kind %d has no row in kinds.go", k)
			continue
		}
		if prev, dup := names[ki.name]; dup {
			t.Errorf("kinds %d and %d are both named %q", prev, k, ki.name)
		}
		names[ki.name] = k
		if utf8.RuneCountInString(ki.symbol) != 1 {
			t.Errorf("%s: symbol %q is not one character", ki.name, ki.symbol)
		}
		if int(ki.role) >= len(roleAttrs) {
			t.Errorf("%s: role %d has no colors in style.go", ki.name, ki.role)
		}
		if (ki.html == "") != (ki.move == byClass) {
			t.Errorf("%s: an HTML mark is needed exactly when the message class does not give one", ki.name)
		}
		if needs := ki.move == answer || ki.move == lose; needs != (ki.mermaid != "") {
			t.Errorf("%s: a Mermaid arrow is needed exactly for answer and lose moves (move %d, arrow %q)",
				ki.name, ki.move, ki.mermaid)
		}
		if ki.total != "" {
			if prev, dup := totals[ki.total]; dup {
				t.Errorf("kinds %s and %s both count as %q", prev, ki.name, ki.total)
			}
			totals[ki.total] = k
		}
		if back, ok := ParseKind(ki.name); !ok || back != k {
			t.Errorf("%s does not parse back", ki.name)
		}
	}
	if _, ok := ParseKind(""); ok {
		t.Error(`ParseKind("") found a kind`)
	}
}

func TestEveryClassHasARow(t *testing.T) {
	for c := range classes {
		ci := &classes[c]
		if ci.tag == "" || utf8.RuneCountInString(ci.mark) != 1 || ci.mermaid == "" || ci.stroke.line == 0 {
			t.Errorf("class %d: incomplete row %+v", c, ci)
		}
		if Class(c) != NoClass && (ci.name == "" || utf8.RuneCountInString(ci.legend) != 2 || len(ci.attrs) == 0) {
			t.Errorf("class %d: a class needs a name, a legend and a color: %+v", c, ci)
		}
	}
	if Class(len(classes)).known() != NoClass || Kind(numKinds).known() != Run {
		t.Error("an unknown class or kind is not drawn plain")
	}
}
