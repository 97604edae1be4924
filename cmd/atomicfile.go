package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// atomicFile is a file written whole or not at all: its content goes to a
// temporary file in the same directory, renamed over path once complete.
// A full disk or a failed run leaves the old file (or none), never a
// truncated one.
type atomicFile struct {
	path string
	tmp  *os.File
}

// createAtomic creates the temporary file for path, so a directory that
// cannot be written is known before the work starts. path must not be a
// directory.
func createAtomic(path string) (*atomicFile, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{path: path, tmp: tmp}, nil
}

// commit writes data, syncs it and renames it over the path.
func (f *atomicFile) commit(data []byte) error {
	tmp := f.tmp
	f.tmp = nil
	_, err := tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %v", f.path, unwrapped(err))
	}
	return nil
}

// discard removes the temporary file unless commit has run.
func (f *atomicFile) discard() {
	if f.tmp != nil {
		f.tmp.Close()
		os.Remove(f.tmp.Name())
		f.tmp = nil
	}
}

// unwrapped drops the operation and path from a file error, which the
// message around it already names.
func unwrapped(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// fileValue is a file name that must not be empty.
type fileValue struct{ s *string }

func (v fileValue) String() string { return *v.s }
func (v fileValue) Type() string   { return "FILE" }
func (v fileValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New(`"" is not a file name: want a path such as report.html`)
	}
	*v.s = s
	return nil
}
