package cli

import "github.com/gokeepalived/gokeepalived/pkg/config"

// MainFileProblem reports what keepalived says when the main configuration
// file (named without wildcards) is missing or is a directory: the daemon
// logs it and stops (exit 6). It is the check -t and -d make, shared with
// the daemon.
func MainFileProblem(path string, allConfig bool) (config.Diagnostic, bool) {
	return mainFileProblem(path, allConfig)
}
