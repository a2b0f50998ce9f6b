// Package filter implements the event-filtering patterns of Lambda event
// source mappings (FilterCriteria), the EventBridge pattern language:
// exact values (strings, numbers, null, booleans), prefix, suffix,
// equals-ignore-case, anything-but (values, prefix, suffix,
// equals-ignore-case, wildcard), numeric ranges, exists, cidr, wildcard,
// $or, nested objects, and arrays in the event matching when any element
// matches.
//
// Compile parses a mapping's patterns into a Set; Set.Match reports
// whether an event (a decoded JSON object, numbers as float64 or
// json.Number) matches any of them. A Set is immutable and safe for
// concurrent use. Compile's errors wrap ErrInvalidPattern and carry a
// message fit for an InvalidParameterValueException. The package is a
// leaf: it knows nothing of Lambda's event shapes.
package filter
