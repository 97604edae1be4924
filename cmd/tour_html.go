package cmd

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/msgplay/msgplay/internal/trace"
	"github.com/msgplay/msgplay/patterns"
)

// tourHTML writes the tour as one HTML page: a chapter per pattern, each a
// compare page — the broken run and the fixed run side by side on one
// clock, their checks compared — reproduced by one `msgplay compare`.
func (app *App) tourHTML(o *tourOptions) error {
	file, err := createAtomic(o.html)
	if err != nil {
		return usagef("--html: cannot write %s: %v", o.html, unwrapped(err))
	}
	defer file.discard()
	chapters, _ := tourChapters()
	var sections []trace.PageSection
	w := app.IO.Out
	for i, ch := range chapters {
		sec := trace.PageSection{Title: ch.p.name + ": " + ch.p.tour.Title, Text: ch.p.summary}
		for _, v := range []int{ch.broken, ch.fixed} {
			run, args, err := chapterRun(ch.p, v)
			if err != nil {
				return &failure{code: ExitFailure, msg: "tour: " + ch.p.name + ": " + err.Error()}
			}
			ro := runOptions{cmdline: shellLine(append([]string{ch.p.name}, args...), o.seed)}
			page, sink := app.pageSink(&ro)
			run(patterns.Common{Seed: o.seed}, sink)
			vi := ch.p.variants[v]
			sec.Runs = append(sec.Runs, page)
			sec.Labels = append(sec.Labels, vi.name+" — "+vi.about)
		}
		scenario := slices.DeleteFunc(slices.Clone(ch.p.tour.Args), isQuiet)
		sec.Command = shellLine(append(append([]string{"compare", ch.p.name}, scenario...),
			"--variants", ch.p.tour.Broken+","+ch.p.tour.Fixed), o.seed)
		sections = append(sections, sec)
		fmt.Fprintf(w, "%2d. %s: %s\n", i+1, ch.p.name, ch.p.tour.Title)
	}
	title := "msgplay tour · " + strconv.Itoa(len(chapters)) + " patterns, broken then fixed · seed " + strconv.FormatUint(o.seed, 10)
	if err := file.commit(trace.Page(title, sections)); err != nil {
		return &failure{code: ExitFailure, msg: "--html: " + err.Error()}
	}
	fmt.Fprintf(w, "The page: %s\n", o.html)
	return nil
}
