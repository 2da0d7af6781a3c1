package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlagSet returns a ContinueOnError FlagSet writing to stderr with usage printed by
// usageFn (which may be nil).
func newFlagSet(name string, stderr io.Writer, usageFn func(w io.Writer)) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		if usageFn != nil {
			usageFn(fs.Output())
		}
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses args with fs, letting flags follow positional arguments
// (`gofive call getQuotation quotationNo=Q1 --raw`); everything after "--" is positional.
// onPositional sees each positional argument as it is found, so that usage text can
// depend on it. It returns the positional arguments, or flag.ErrHelp for -h, or a
// usageError (the flag package has already printed the message and usage).
func parseArgs(fs *flag.FlagSet, args []string, onPositional func(string)) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			for _, a := range rest {
				if onPositional != nil {
					onPositional(a)
				}
			}
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		if onPositional != nil {
			onPositional(rest[0])
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagExit is the exit code after parseArgs failed: 0 for -h (usage was printed on
// request), 2 otherwise (the flag package has printed the problem and the usage).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
