package attr

// Validate checks a value built in code (not decoded) as UnmarshalJSON
// would: numbers in range, sets not empty and without duplicates,
// nesting at most MaxDepth levels (Depth). It returns nil or an *Error.
// The service runs it on items an update produced.
func Validate(v Value) error { return validate(v, 1) }

func validate(v Value, depth int) error {
	if depth > MaxDepth {
		return validation(MsgNestingTooDeep)
	}
	switch v.Kind {
	case N:
		_, err := CanonicalNumber(v.S)
		return err
	case NULL:
		return nil
	case L:
		for _, e := range v.L {
			if err := validate(e, depth+1); err != nil {
				return err
			}
		}
	case M:
		for _, e := range v.M {
			if err := validate(e, depth+1); err != nil {
				return err
			}
		}
	case SS:
		if len(v.SS) == 0 {
			return validation(MsgEmptySS)
		}
		if hasDuplicates(v.SS) {
			return ssDuplicates(v.SS)
		}
	case NS:
		if len(v.SS) == 0 {
			return validation(MsgEmptyNS)
		}
		for _, s := range v.SS {
			if _, err := CanonicalNumber(s); err != nil {
				return err
			}
		}
		if hasDuplicates(v.SS) {
			return validation(MsgNumberDuplicates)
		}
	case BS:
		if len(v.BS) == 0 {
			return validation(MsgEmptyBS)
		}
		ss := make([]string, len(v.BS))
		for i, b := range v.BS {
			ss[i] = string(b)
		}
		if hasDuplicates(ss) {
			return validation(MsgNumberDuplicates)
		}
	case 0:
		return validation(MsgEmptyValue)
	}
	return nil
}

// Depth is the nesting depth of v: 1 for a scalar or a set, one more per
// level of L or M.
func Depth(v Value) int {
	d := 0
	switch v.Kind {
	case L:
		for _, e := range v.L {
			d = max(d, Depth(e))
		}
	case M:
		for _, e := range v.M {
			d = max(d, Depth(e))
		}
	}
	return d + 1
}

// ValidateItem runs Validate on every attribute of an item (each
// top-level value is at depth 1).
func ValidateItem(it Item) error {
	for _, v := range it {
		if err := validate(v, 1); err != nil {
			return err
		}
	}
	return nil
}
