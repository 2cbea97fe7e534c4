package cli

import "github.com/gokeepalived/gokeepalived/pkg/config"

// MainFileProblem reports what keepalived says when the main configuration
// file (named without wildcards) is missing or is a directory: the daemon
// logs it and runs with an empty configuration, or stops with -e. It is
// the check -t and -d make, shared with the daemon.
func MainFileProblem(path string, allConfig bool) (config.Diagnostic, bool) {
	return mainFileProblem(path, allConfig)
}
