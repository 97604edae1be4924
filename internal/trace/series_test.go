package trace

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func seriesReport() *Report {
	return &Report{Pattern: "p", End: 4 * time.Second,
		Tables: []Table{{Title: "backlog", Columns: []string{"backlog as text"}, Rows: [][]string{{"▁▃█"}}},
			{Title: "other", Columns: []string{"kept"}}},
		Series: []Series{{Title: "backlog over time", Step: time.Second, Values: []int64{0, 3, 7, 1}, Text: "backlog"}}}
}

func TestSeriesInJSON(t *testing.T) {
	e := Event{Kind: Summary, Report: seriesReport()}
	var back struct {
		Summary struct {
			Series []struct {
				Title  string  `json:"title"`
				StepUS int64   `json:"step_us"`
				Values []int64 `json:"values"`
			} `json:"series"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(AppendJSON(nil, &e), &back); err != nil {
		t.Fatal(err)
	}
	s := back.Summary.Series
	if len(s) != 1 || s[0].Title != "backlog over time" || s[0].StepUS != 1e6 || len(s[0].Values) != 4 || s[0].Values[2] != 7 {
		t.Errorf("series came back as %+v", s)
	}
}

func TestHTMLDrawsASeriesInsteadOfItsTextTable(t *testing.T) {
	h := NewHTML(HTMLOptions{})
	h.Event(&Event{Kind: Run, Note: "p"})
	h.Event(&Event{Kind: Summary, Report: seriesReport()})
	page, _, _ := strings.Cut(string(h.Bytes()), `<script type="application/x-ndjson"`) // the drawn part, not the data
	if strings.Count(page, `<svg class="series"`) != 1 || strings.Count(page, "<rect") != 3 {
		t.Errorf("want one chart with a bar for each non-zero value:\n%s", page)
	}
	if strings.Contains(page, "backlog as text") || !strings.Contains(page, "<th>kept</th>") {
		t.Error("the page should drop the charted table and keep the others")
	}
}
