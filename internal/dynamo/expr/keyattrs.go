package expr

// Checks of expressions against a table's or index's key attributes.

// CheckUpdateKeys returns DynamoDB's error when the update writes a key
// attribute (or a path inside one):
// "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key".
func CheckUpdateKeys(u *Update, keys ...string) error {
	for _, p := range u.Paths() {
		for _, k := range keys {
			if k != "" && p.Attribute() == k {
				return &Error{Message: invalidParams + "Cannot update attribute " + k + ". This attribute is part of the key"}
			}
		}
	}
	return nil
}

// CheckFilterKeys returns DynamoDB's error for a Query FilterExpression
// that reads a primary-key attribute of the table or index queried:
// "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk".
// legacy selects the QueryFilter wording.
// Keys are checked in the order given (DynamoDB: partition key, then sort key).
func CheckFilterKeys(c *Condition, legacy bool, keys ...string) error {
	paths := c.Paths()
	for _, k := range keys {
		for _, p := range paths {
			if k != "" && p.Attribute() == k {
				msg := "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
				if legacy {
					msg = "QueryFilter can only contain non-primary key attributes: Primary key attribute: "
				}
				return &Error{Message: msg + k}
			}
		}
	}
	return nil
}

// CheckNestedKeyAccess returns DynamoDB's error for an expression path
// that reaches inside a key attribute (a.b or a[0] where a is a key):
// "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"
// for the table's keys, "...: IndexKey: gpk" for its indexes' keys.
// Pass the paths of every expression of the request.
func CheckNestedKeyAccess(paths []Path, tableKeys, indexKeys []string) error {
	nested := map[string]bool{}
	for _, p := range paths {
		if len(p) > 1 {
			nested[p.Attribute()] = true
		}
	}
	const msg = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
	for _, k := range tableKeys {
		if nested[k] {
			return &Error{Message: msg + "Key: " + k}
		}
	}
	for _, k := range indexKeys {
		if nested[k] {
			return &Error{Message: msg + "IndexKey: " + k}
		}
	}
	return nil
}
