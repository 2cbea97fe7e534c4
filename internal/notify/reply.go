package notify

import "bytes"

// replyBufferMax is keepalived's SMTP_BUFFER_LENGTH: a server that sends
// this much without completing a reply is given up on ("overflow our get
// read buffer length").
const replyBufferMax = 512

// parseReply finds the first complete SMTP reply in buf, as keepalived's
// smtp_read_thread does: lines end with CRLF; a line whose fourth byte is
// '-' continues the reply (RFC 5321 §4.2.1 multi-line replies), any other
// line ends it and its first three digits are the code. n is how many
// bytes the reply took; ok is false while buf holds no complete reply.
// A code that is not three digits is 0, which no step accepts.
func parseReply(buf []byte) (code, n int, ok bool) {
	for {
		i := bytes.Index(buf[n:], []byte("\r\n"))
		if i < 0 {
			return 0, 0, false
		}
		line := buf[n : n+i]
		n += i + 2
		if len(line) > 3 && line[3] == '-' {
			continue
		}
		return replyCode(line), n, true
	}
}

func replyCode(line []byte) int {
	if len(line) < 3 {
		return 0
	}
	code := 0
	for _, c := range line[:3] {
		if c < '0' || c > '9' {
			return 0
		}
		code = code*10 + int(c-'0')
	}
	return code
}
