package trace

import (
	"slices"
	"strings"
	"testing"
)

func TestShortNamesAreInitialsUniqueAndShorter(t *testing.T) {
	names := []string{"worker-1", "worker-2", "orders-service", "order-service", "inventory", "shipping", "shop", "payment.in"}
	got := shortNames(names)
	want := []string{"w1", "w2", "os", "os2", "inv", "shp", "shop", "pi"}
	if !slices.Equal(got, want) {
		t.Errorf("shortNames = %q, want %q", got, want)
	}
}

func TestFoldQueuesKeepsSharedAndLossyQueues(t *testing.T) {
	ev := []Event{
		{Kind: Deliver, Actor: "orders/inventory", To: "inventory", Msg: Msg{ID: "e1"}},
		{Kind: Deliver, Actor: "orders", To: "worker-1", Msg: Msg{ID: "m1"}},
		{Kind: Deliver, Actor: "orders", To: "worker-2", Msg: Msg{ID: "m2"}},
		{Kind: Deliver, Actor: "orders/email", To: "email", Msg: Msg{ID: "e1"}},
		{Kind: Drop, Actor: "orders", To: "orders/email", Msg: Msg{ID: "e2"}},
	}
	home := foldQueues(ev)
	if len(home) != 1 || home["orders/inventory"] != "inventory" {
		t.Errorf("foldQueues = %v, want only orders/inventory → inventory", home)
	}
}

func TestOnlyHintTellsTheStoryOfTheFirstLoss(t *testing.T) {
	ev := []Event{
		{Kind: Publish, Actor: "order-service", To: "orders", Msg: Msg{ID: "e1"}},
		{Kind: Send, Actor: "orders", To: "orders/email", Msg: Msg{ID: "e1"}},
		{Kind: Deliver, Actor: "orders/email", To: "email", Msg: Msg{ID: "e1"}},
		{Kind: Crash, Actor: "email"},
		{Kind: Drop, Actor: "orders", To: "orders/email", Msg: Msg{ID: "e2"}},
	}
	if got := onlyHint(ev, []string{"order-service", "orders"}); got != "--only email --only orders/email" {
		t.Errorf("onlyHint = %q", got)
	}
	calm := ev[:3]
	if got := onlyHint(calm, nil); got != "--only order-service --only orders --only orders/email" {
		t.Errorf("onlyHint without trouble = %q, want the first message's path", got)
	}
}

func TestLaneNamesAreNeverCut(t *testing.T) {
	for _, width := range []int{60, 72, 80, 100} {
		var s laneSet
		names := []string{"order-service", "orders", "orders/inventory", "inventory", "payment-gateway", "worker-1", "worker-2"}
		if !s.fit(names, width-laneLeft-labelGap, 60) {
			continue
		}
		short := shortNames(names)
		for i := range names {
			if s.shown[i] != names[i] && s.shown[i] != short[i] {
				t.Errorf("width %d: %q shown as %q", width, names[i], s.shown[i])
			}
			if strings.Contains(s.shown[i], "…") {
				t.Errorf("width %d: %q cut to %q", width, names[i], s.shown[i])
			}
		}
	}
}

func TestFitGivesSpareWidthToLabelsFirst(t *testing.T) {
	var s laneSet
	if !s.fit([]string{"a", "b"}, 80, 60) {
		t.Fatal("two lanes do not fit in 80")
	}
	if room := 80 - s.width(); room < 60 {
		t.Errorf("labels got %d columns of 80, want their 60 first", room)
	}
}
