// Package attr is DynamoDB's value model: the ten attribute types, their
// JSON wire form with DynamoDB's exact validation messages, exact decimal
// numbers (38 significant digits, magnitude 1E-130 .. 9.99..E+125),
// comparison and equality as DynamoDB defines them, an order-preserving
// key encoding for S, N and B, and item sizes for the 400 KB limit and
// consumed capacity.
//
// Values are plain data: a Value holds one type, selected by Kind. Values
// made by the constructors or by UnmarshalJSON are valid and canonical (a
// number's text is its normalized decimal form); code that builds a Value
// literal by hand must keep numbers canonical (use Number). Values are
// safe for concurrent reads; nothing in this package mutates its inputs.
//
// Errors are *Error; the Message is the text DynamoDB sends (a
// ValidationException unless Serialization is set, which means DynamoDB
// rejects the request as a SerializationException). The catalog of
// messages is errors.go.
package attr
