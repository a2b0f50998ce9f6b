package attr

// Error is a value DynamoDB rejects. Message is DynamoDB's exact text.
// Serialization marks errors DynamoDB reports as SerializationException
// (a JSON member of the wrong JSON type); all others are
// ValidationException.
type Error struct {
	Message       string
	Serialization bool
}

func (e *Error) Error() string { return e.Message }

func validation(msg string) *Error    { return &Error{Message: msg} }
func serialization(msg string) *Error { return &Error{Message: msg, Serialization: true} }

// The catalog of DynamoDB's messages for invalid attribute values.
const (
	MsgEmptyValue        = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	MsgMultipleTypes     = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	MsgEmptySS           = "One or more parameter values were invalid: An string set  may not be empty"
	MsgEmptyNS           = "One or more parameter values were invalid: An number set  may not be empty"
	MsgEmptyBS           = "One or more parameter values were invalid: Binary sets should not be empty"
	MsgNullNotTrue       = "One or more parameter values were invalid: Null attribute value types must have the value of true" // no longer sent: {"NULL":false} is accepted as NULL
	MsgNumberDuplicates  = "Input collection contains duplicates"
	MsgTooManyDigits     = "Attempting to store more than 38 significant digits in a Number"
	MsgNumberOverflow    = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	MsgNumberUnderflow   = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	MsgNotANumber        = "A value provided cannot be converted into a number"
	MsgNestingTooDeep    = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgSSDuplicatesStart = "One or more parameter values were invalid: Input collection "
	msgSSDuplicatesEnd   = " contains duplicates."
)

// Serialization (wrong JSON type) messages, as DynamoDB's Coral front end
// words them.
const (
	MsgStartOfList      = "Start of list found where not expected"
	MsgStartOfStructure = "Start of structure or map found where not expected."
	MsgExpectedList     = "Expected list or null"
	MsgExpectedMap      = "Expected map or null"
	MsgNumberToString   = "NUMBER_VALUE cannot be converted to String"
	MsgBoolToString     = "TRUE_VALUE cannot be converted to String"
	MsgMalformedJSON    = "Unexpected character found while parsing the request"
)

// MaxDepth is DynamoDB's nesting limit: 32 levels counting the
// innermost value, so at most 31 lists or maps wrap a scalar.
const MaxDepth = 32

// ssDuplicates is DynamoDB's message for a string set with duplicates:
// "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
func ssDuplicates(ss []string) *Error {
	n := len(msgSSDuplicatesStart) + len(msgSSDuplicatesEnd) + 2
	for _, s := range ss {
		n += len(s) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, msgSSDuplicatesStart...)
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	b = append(b, ']')
	b = append(b, msgSSDuplicatesEnd...)
	return validation(string(b))
}
