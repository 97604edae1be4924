//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package cmd

import "os"

// terminalWidth returns 0: the width of a terminal is not known here, so
// $COLUMNS or the default width is used.
func terminalWidth(f *os.File) int { return 0 }
