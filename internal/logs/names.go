package logs

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tarnhq/tarn/internal/sigv4"
)

// Limits of the CloudWatch Logs API.
const (
	maxNameLen       = 512 // log group and log stream names
	maxDescribeLimit = 50  // DescribeLogGroups, DescribeLogStreams
	maxEventsLimit   = 10000
	maxPageBytes     = 1 << 20 // GetLogEvents / FilterLogEvents page
	maxBatchEvents   = 10000
	maxBatchBytes    = 1048576 // message UTF-8 bytes + eventOverhead per event
	maxEventBytes    = 1048576 // one event, overhead included ("no larger than 1 MB")
	eventOverhead    = 26
	maxBatchSpanMS   = 24 * 3600 * 1000
	maxTooNewMS      = 2 * 3600 * 1000
	maxTooOldMS      = 14 * 24 * 3600 * 1000
	maxTags          = 50
	maxLogStreamName = 100 // FilterLogEvents logStreamNames

	accountID = "000000000000"
)

// regionOf is the region a request is scoped to (its SigV4 credential
// scope), else Options.Region.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}

func (s *Service) regionOr(r string) string {
	if r == "" {
		return s.region
	}
	return r
}

func groupNameOK(r rune) bool {
	return r == '.' || r == '-' || r == '_' || r == '/' || r == '#' ||
		r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

// validGroupName checks a LogGroupName: 1-512 of [\.\-_/#A-Za-z0-9].
func validGroupName(field, v string) error {
	if v == "" {
		return errRequired(field)
	}
	if len(v) > maxNameLen {
		return errConstraint(field, v, fmt.Sprintf("Member must have length less than or equal to %d", maxNameLen))
	}
	for _, r := range v {
		if !groupNameOK(r) {
			return errConstraint(field, v, `Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`)
		}
	}
	return nil
}

// validStreamName checks a LogStreamName: 1-512 characters, no ':' or '*'.
func validStreamName(field, v string) error {
	if v == "" {
		return errRequired(field)
	}
	if utf8.RuneCountInString(v) > maxNameLen {
		return errConstraint(field, v, fmt.Sprintf("Member must have length less than or equal to %d", maxNameLen))
	}
	if strings.ContainsAny(v, ":*") || strings.ContainsRune(v, 0) {
		return errConstraint(field, v, `Member must satisfy regular expression pattern: [^:*]*`)
	}
	return nil
}

// groupARN is a log group's ARN without the ":*" suffix (logGroupArn).
func groupARN(region, group string) string {
	return "arn:aws:logs:" + region + ":" + accountID + ":log-group:" + group
}

func streamARN(region, group, stream string) string {
	return groupARN(region, group) + ":log-stream:" + stream
}

// resolveGroup returns the log group name from a logGroupName or a
// logGroupIdentifier (a name or an ARN, with or without ":*"). Exactly
// one of them must be given when either is accepted.
func resolveGroup(name, ident *string) (string, error) {
	switch {
	case name != nil && ident != nil:
		return "", errInvalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		return *name, validGroupName("logGroupName", *name)
	case ident != nil:
		g := *ident
		if strings.HasPrefix(g, "arn:") {
			_, rest, ok := strings.Cut(g, ":log-group:")
			if !ok || rest == "" {
				return "", errInvalid("The specified log group identifier is not valid: %s", g)
			}
			g = strings.TrimSuffix(rest, ":*")
		}
		return g, validGroupName("logGroupIdentifier", g)
	}
	return "", errInvalid("Should provide either logGroupName or logGroupIdentifier.")
}

// parseGroupARN returns region and group name of a log group ARN
// (TagResource and friends).
func parseGroupARN(arn string) (region, group string, ok bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group" {
		return "", "", false
	}
	g := strings.TrimSuffix(parts[6], ":*")
	if g == "" || strings.Contains(g, ":") {
		return "", "", false
	}
	return parts[3], g, true
}

// validRetention reports whether PutRetentionPolicy accepts days.
func validRetention(days int32) bool {
	switch days {
	case 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653:
		return true
	}
	return false
}

const retentionConstraint = "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"
