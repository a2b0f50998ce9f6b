package attr

// Kind is an attribute's DynamoDB type.
type Kind uint8

// The ten DynamoDB types. The zero Kind is invalid.
const (
	S Kind = iota + 1
	N
	B
	BOOL
	NULL
	L
	M
	SS
	NS
	BS
)

var kindNames = [...]string{"", "S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"}

// String is the type's wire name: "S", "N", ..., "BS" ("" for an invalid Kind).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// ParseKind maps a wire name to its Kind; ok is false for an unknown name.
func ParseKind(s string) (k Kind, ok bool) {
	for i := 1; i < len(kindNames); i++ {
		if kindNames[i] == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// IsSet reports whether k is SS, NS or BS.
func (k Kind) IsSet() bool { return k == SS || k == NS || k == BS }

// IsKey reports whether k can be a key attribute's type (S, N, B).
func (k Kind) IsKey() bool { return k == S || k == N || k == B }
