package cli

import "syscall"

// uname returns the kernel's sysname, release and version, which keepalived
// prints on its "Running on" line.
func uname() (sysname, release, version string) {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "Linux", "unknown", ""
	}
	return utsString(u.Sysname[:]), utsString(u.Release[:]), utsString(u.Version[:])
}

// utsString converts a NUL-terminated utsname field (int8 or uint8
// elements depending on the architecture).
func utsString[T int8 | uint8](f []T) string {
	b := make([]byte, 0, len(f))
	for _, c := range f {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}
