package attr

// UnmarshalJSON decodes one AttributeValue in DynamoDB's JSON wire form
// ({"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"NULL":true}, ...) and
// validates it completely; errors are *Error with DynamoDB's messages.
// Members whose value is JSON null count as absent; unknown members are
// ignored.
func (v *Value) UnmarshalJSON(data []byte) error {
	d := decoder{data: data}
	val, err := d.value(1)
	if err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*v = val
	return nil
}

// UnmarshalJSON decodes an attribute map ({"name": AttributeValue, ...});
// JSON null decodes to a nil Item.
func (it *Item) UnmarshalJSON(data []byte) error {
	d := decoder{data: data}
	d.ws()
	if d.literal("null") {
		*it = nil
		return d.end()
	}
	m, err := d.object(1)
	if err != nil {
		return err
	}
	if err := d.end(); err != nil {
		return err
	}
	*it = Item(m)
	return nil
}

// DecodeValue decodes an AttributeValue from its JSON wire form.
func DecodeValue(data []byte) (Value, error) {
	var v Value
	err := v.UnmarshalJSON(data)
	return v, err
}

// DecodeItem decodes an attribute map from its JSON wire form.
func DecodeItem(data []byte) (Item, error) {
	var it Item
	err := it.UnmarshalJSON(data)
	return it, err
}

type decoder struct {
	data []byte
	i    int
}

func (d *decoder) ws() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) end() error {
	d.ws()
	if d.i != len(d.data) {
		return serialization(MsgMalformedJSON)
	}
	return nil
}

func (d *decoder) peek() byte {
	d.ws()
	if d.i < len(d.data) {
		return d.data[d.i]
	}
	return 0
}

func (d *decoder) literal(lit string) bool {
	if len(d.data)-d.i >= len(lit) && string(d.data[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// wrongType is the serialization error for a JSON value of the wrong
// type where want ('s' string, 'b' bool, 'l' list, 'm' map) was expected.
func (d *decoder) wrongType(want byte) *Error {
	c := d.peek()
	switch {
	case c == '[':
		return serialization(MsgStartOfList)
	case c == '{':
		return serialization(MsgStartOfStructure)
	}
	switch want {
	case 'l':
		return serialization(MsgExpectedList)
	case 'm':
		return serialization(MsgExpectedMap)
	case 'b':
		if c == '"' {
			return serialization("STRING_VALUE can not be converted to Boolean")
		}
		return serialization("NUMBER_VALUE can not be converted to Boolean")
	}
	if c == 't' || c == 'f' {
		return serialization(MsgBoolToString)
	}
	return serialization(MsgNumberToString)
}

// null consumes a JSON null if one is next.
func (d *decoder) null() bool {
	d.ws()
	return d.literal("null")
}

func (d *decoder) value(depth int) (Value, error) {
	if depth > MaxDepth {
		return Value{}, validation(MsgNestingTooDeep)
	}
	if d.peek() != '{' {
		return Value{}, d.wrongType('m')
	}
	d.i++
	var v Value
	types := 0
	var firstErr *Error
	note := func(e *Error) {
		if firstErr == nil {
			firstErr = e
		}
	}
	if d.peek() == '}' {
		d.i++
		return v, validation(MsgEmptyValue)
	}
	for {
		key, err := d.typeKey()
		if err != nil {
			return Value{}, err
		}
		if d.peek() != ':' {
			return Value{}, serialization(MsgMalformedJSON)
		}
		d.i++
		if d.null() {
			goto next
		}
		switch string(key) {
		case "S", "N", "B":
			if d.peek() != '"' {
				return Value{}, d.wrongType('s')
			}
			s, err := d.str()
			if err != nil {
				return Value{}, err
			}
			types++
			switch string(key) {
			case "S":
				v.Kind, v.S = S, s
			case "N":
				v.Kind = N
				c, err := CanonicalNumber(s)
				if err != nil {
					note(err.(*Error))
				}
				v.S = c
			case "B":
				b, err := decodeBase64(s)
				if err != nil {
					return Value{}, err
				}
				v.Kind, v.B = B, b
			}
		case "BOOL", "NULL":
			var b bool
			switch {
			case d.literal("true"):
				b = true
			case d.literal("false"):
			default:
				return Value{}, d.wrongType('b')
			}
			types++
			if string(key) == "BOOL" {
				v.Kind, v.Bool = BOOL, b
			} else {
				// DynamoDB used to reject {"NULL": false} (MsgNullNotTrue);
				// since 2026-06 it accepts it and stores NULL true.
				v.Kind = NULL
			}
		case "L":
			if d.peek() != '[' {
				return Value{}, d.wrongType('l')
			}
			d.i++
			l := []Value{}
			if d.peek() == ']' {
				d.i++
			} else {
				for {
					e, err := d.value(depth + 1)
					if err != nil {
						return Value{}, err
					}
					l = append(l, e)
					c := d.peek()
					d.i++
					if c == ']' {
						break
					}
					if c != ',' {
						return Value{}, serialization(MsgMalformedJSON)
					}
				}
			}
			types++
			v.Kind, v.L = L, l
		case "M":
			if d.peek() != '{' {
				return Value{}, d.wrongType('m')
			}
			m, err := d.object(depth + 1)
			if err != nil {
				return Value{}, err
			}
			types++
			v.Kind, v.M = M, m
		case "SS", "NS", "BS":
			ss, err := d.strings()
			if err != nil {
				return Value{}, err
			}
			types++
			switch string(key) {
			case "SS":
				v.Kind, v.SS = SS, ss
				if len(ss) == 0 {
					note(validation(MsgEmptySS))
				} else if hasDuplicates(ss) {
					note(ssDuplicates(ss))
				}
			case "NS":
				v.Kind = NS
				if len(ss) == 0 {
					note(validation(MsgEmptyNS))
				}
				for i, s := range ss {
					c, err := CanonicalNumber(s)
					if err != nil {
						note(err.(*Error))
						break
					}
					ss[i] = c
				}
				if firstErr == nil && hasDuplicates(ss) {
					note(validation(MsgNumberDuplicates))
				}
				v.SS = ss
			case "BS":
				bs := make([][]byte, len(ss))
				for i, s := range ss {
					b, err := decodeBase64(s)
					if err != nil {
						return Value{}, err
					}
					bs[i] = b
				}
				v.Kind, v.BS = BS, bs
				if len(bs) == 0 {
					note(validation(MsgEmptyBS))
				} else if hasDuplicates(ss) {
					note(validation(MsgNumberDuplicates))
				}
			}
		default:
			if err := d.skip(); err != nil {
				return Value{}, err
			}
		}
	next:
		c := d.peek()
		d.i++
		if c == '}' {
			break
		}
		if c != ',' {
			return Value{}, serialization(MsgMalformedJSON)
		}
	}
	if firstErr != nil {
		return Value{}, firstErr
	}
	switch {
	case types == 0:
		return Value{}, validation(MsgEmptyValue)
	case types > 1:
		return Value{}, validation(MsgMultipleTypes)
	}
	return v, nil
}

// object decodes {"name": AttributeValue, ...} with values at depth.
func (d *decoder) object(depth int) (map[string]Value, error) {
	if d.peek() != '{' {
		return nil, d.wrongType('m')
	}
	d.i++
	m := map[string]Value{}
	if d.peek() == '}' {
		d.i++
		return m, nil
	}
	for {
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		if d.peek() != ':' {
			return nil, serialization(MsgMalformedJSON)
		}
		d.i++
		if !d.null() {
			v, err := d.value(depth)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		c := d.peek()
		d.i++
		if c == '}' {
			return m, nil
		}
		if c != ',' {
			return nil, serialization(MsgMalformedJSON)
		}
	}
}

func (d *decoder) strings() ([]string, error) {
	if d.peek() != '[' {
		return nil, d.wrongType('l')
	}
	d.i++
	out := []string{}
	if d.peek() == ']' {
		d.i++
		return out, nil
	}
	for {
		if d.peek() != '"' {
			return nil, d.wrongType('s')
		}
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		c := d.peek()
		d.i++
		if c == ']' {
			return out, nil
		}
		if c != ',' {
			return nil, serialization(MsgMalformedJSON)
		}
	}
}
