package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Walk expands paths, files or folders, into the files to read, with their
// formats. Paths keep the order given; a folder is walked recursively in
// lexical order, so the list is the same from run to run. A file reached
// twice is listed once.
//
// Inside a folder, hidden files and folders (name starting with ".") are
// left out silently; files with another extension, and anything that is
// not a regular file (a link to a folder, a device), are left out and
// counted in skipped. A path named explicitly must exist and have a known
// extension, even when hidden; if not, Walk returns a *ReadError naming it.
func Walk(paths []string) (files []File, skipped int, err error) {
	seen := make(map[string]bool)
	add := func(path string, size int64, format string) {
		if !seen[path] {
			seen[path] = true
			files = append(files, File{Path: path, Format: format, Size: size})
		}
	}
	for _, p := range paths {
		p = filepath.Clean(p)
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, 0, newError(p, probNotFound, nil)
		case err != nil:
			return nil, 0, newError(p, probRead, err)
		case st.IsDir():
			n, err := walkDir(p, add)
			if err != nil {
				return nil, 0, err
			}
			skipped += n
		case st.Mode().IsRegular():
			format, ok := formatOf(p)
			if !ok {
				return nil, 0, newError(p, probUnsupported, nil)
			}
			add(p, st.Size(), format)
		default:
			return nil, 0, newError(p, probNotRegular, nil)
		}
	}
	return files, skipped, nil
}

func walkDir(root string, add func(path string, size int64, format string)) (skipped int, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return newError(path, probRead, err)
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		// Stat, not the DirEntry: a link to a report is read like the
		// report. Links to folders are not followed, so no cycles.
		st, err := os.Stat(path)
		if err != nil || !st.Mode().IsRegular() {
			skipped++
			return nil
		}
		format, ok := formatOf(path)
		if !ok {
			skipped++
			return nil
		}
		add(path, st.Size(), format)
		return nil
	})
	return skipped, err
}

// formatOf tells a file's format from its extension. Only JSON may be
// gzip-compressed.
func formatOf(path string) (format string, ok bool) {
	name, gz := splitGzip(path)
	switch filepath.Ext(name) {
	case ".txt", ".text":
		format = formatText
	case ".md", ".markdown":
		format = formatMarkdown
	case ".html", ".htm":
		format = formatHTML
	case ".json", ".jsonl", ".ndjson":
		return formatJSON, true
	default:
		return "", false
	}
	return format, !gz
}

// splitGzip returns the lower-case file name without a .gz extension, and
// whether it had one.
func splitGzip(path string) (name string, gz bool) {
	name = strings.ToLower(filepath.Base(path))
	trimmed := strings.TrimSuffix(name, ".gz")
	return trimmed, trimmed != name
}
