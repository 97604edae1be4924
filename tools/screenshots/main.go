// Command screenshots renders the text and lanes views of every pattern's
// default run as PNG images, on a dark and a light background at 80 and
// 100 columns, to look at what a workshop audience sees: it runs msgplay
// with colors forced on (256 colors, as TERM=xterm-256color says), turns
// the ANSI escapes into an HTML page and has headless Chromium take a
// screenshot of it.
//
//	go run ./tools/screenshots [-out screenshots] [-chromium /usr/bin/chromium]
//
// The images go to -out (screenshots/, which git ignores).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// theme is a terminal's background, foreground and 16 colors.
type theme struct {
	name   string
	bg, fg string
	ansi   [16]string
}

// xterm16 is xterm's own 16 colors, which many terminals keep.
var xterm16 = [16]string{
	"#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
	"#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
}

var themes = []theme{
	{name: "dark", bg: "#1e1e1e", fg: "#d4d4d4", ansi: xterm16},
	{name: "light", bg: "#ffffff", fg: "#1e1e1e", ansi: xterm16},
}

func main() {
	out := flag.String("out", "screenshots", "directory for the images")
	chromium := flag.String("chromium", "chromium", "the Chromium (or Chrome) binary")
	only := flag.String("pattern", "", "only this pattern")
	head := flag.Int("head", 0, "only the first N lines of each view (0 = all), e.g. 35 for one projector screen")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	bin := filepath.Join(*out, "msgplay")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		log.Fatalf("go build: %v\n%s", err, b)
	}
	list, err := exec.Command(bin, "list").Output()
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		p := strings.Fields(line)[0]
		if *only != "" && p != *only {
			continue
		}
		for _, view := range []string{"text", "lanes"} {
			for _, width := range []int{80, 100} {
				ansi, err := run(bin, width, p, "--format", view, "--color", "always")
				if err != nil {
					log.Fatalf("%s %s: %v", p, view, err)
				}
				if *head > 0 {
					ansi = firstLines(ansi, *head)
				}
				// One image holds both backgrounds, side by side: Chromium
				// takes seconds to start, whatever it draws.
				name := fmt.Sprintf("%s-%s-%d", p, view, width)
				page := filepath.Join(*out, name+".html")
				if err := os.WriteFile(page, toHTML(ansi, themes), 0o644); err != nil {
					log.Fatal(err)
				}
				lines := bytes.Count(ansi, []byte("\n")) + 1
				if err := shoot(*chromium, page, filepath.Join(*out, name+".png"), width, lines, len(themes)); err != nil {
					log.Fatalf("%s: %v", name, err)
				}
				fmt.Println(filepath.Join(*out, name+".png"))
			}
		}
	}
}

// run runs msgplay as a 256-color terminal of the given width would.
func run(bin string, width int, args ...string) ([]byte, error) {
	c := exec.Command(bin, args...)
	c.Env = append(os.Environ(), "COLUMNS="+strconv.Itoa(width), "TERM=xterm-256color", "NO_COLOR=")
	return c.Output()
}

// Cell size of the page's monospace font, in CSS pixels.
const (
	cellW, cellH = 8.4, 17.0
	pad          = 12
)

// shoot has Chromium take a screenshot of page, sized to its columns and
// lines, n panes side by side.
func shoot(chromium, page, png string, cols, lines, n int) error {
	profile, err := os.MkdirTemp("", "screenshots-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	abs, _ := filepath.Abs(page)
	pngAbs, _ := filepath.Abs(png)
	w := n * (int(float64(cols)*cellW) + 2*pad + 4)
	h := int(float64(lines)*cellH) + 2*pad
	c := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+profile, "--screenshot="+pngAbs, fmt.Sprintf("--window-size=%d,%d", w, h), "file://"+abs)
	// Without a session bus Chromium waits seconds for one to answer.
	c.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS=disabled:")
	if b, err := c.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, b)
	}
	return nil
}

// sgr is the state the escapes have set.
type sgr struct {
	fg                  string
	bold, faint, italic bool
}

func (s sgr) css() string {
	var b strings.Builder
	if s.fg != "" {
		b.WriteString("color:" + s.fg + ";")
	}
	if s.bold {
		b.WriteString("font-weight:bold;")
	}
	if s.faint {
		b.WriteString("opacity:0.6;")
	}
	if s.italic {
		b.WriteString("font-style:italic;")
	}
	return b.String()
}

// toHTML turns text with ANSI SGR escapes into a page that draws it once
// per theme, side by side.
func toHTML(ansi []byte, themes []theme) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!doctype html><meta charset="utf-8"><style>
html,body{margin:0}
body{display:flex;align-items:stretch}
pre{margin:0;padding:%dpx;font:14px/%gpx "DejaVu Sans Mono",monospace;white-space:pre;overflow:hidden}
</style>`, pad, cellH)
	for _, th := range themes {
		fmt.Fprintf(&b, `<pre style="background:%s;color:%s;min-width:0;flex:1">`, th.bg, th.fg)
		appendPane(&b, ansi, th)
		b.WriteString("</pre>")
	}
	return b.Bytes()
}

// appendPane writes the text with its escapes turned into spans.
func appendPane(b *bytes.Buffer, ansi []byte, th theme) {
	var st sgr
	open := false
	s := string(ansi)
	for s != "" {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			break
		}
		st = apply(st, s[:j], th)
		s = s[j+1:]
		if open {
			b.WriteString("</span>")
		}
		fmt.Fprintf(b, `<span style="%s">`, st.css())
		open = true
	}
	if open {
		b.WriteString("</span>")
	}
}

// apply applies one escape's parameters to st.
func apply(st sgr, params string, th theme) sgr {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i])
		switch {
		case n == 0:
			st = sgr{}
		case n == 1:
			st.bold = true
		case n == 2:
			st.faint = true
		case n == 3:
			st.italic = true
		case n == 22:
			st.bold, st.faint = false, false
		case n == 23:
			st.italic = false
		case n == 39:
			st.fg = ""
		case n >= 30 && n <= 37:
			st.fg = th.ansi[n-30]
		case n >= 90 && n <= 97:
			st.fg = th.ansi[n-90+8]
		case n == 38 && i+2 < len(ps) && ps[i+1] == "5":
			c, _ := strconv.Atoi(ps[i+2])
			st.fg = color256(c, th)
			i += 2
		}
	}
	return st
}

// color256 returns the hex of color n of the 256-color palette.
func color256(n int, th theme) string {
	switch {
	case n < 16:
		return th.ansi[n]
	case n < 232:
		n -= 16
		lv := [6]int{0, 95, 135, 175, 215, 255}
		return fmt.Sprintf("#%02x%02x%02x", lv[n/36], lv[n/6%6], lv[n%6])
	default:
		g := 8 + 10*(n-232)
		return fmt.Sprintf("#%02x%02x%02x", g, g, g)
	}
}

// firstLines returns the first n lines of b.
func firstLines(b []byte, n int) []byte {
	for i, c := range b {
		if c == '\n' {
			if n--; n == 0 {
				return b[:i+1]
			}
		}
	}
	return b
}
