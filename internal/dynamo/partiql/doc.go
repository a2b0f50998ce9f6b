// Package partiql parses DynamoDB's dialect of PartiQL (the statements of
// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction) and
// translates each statement into the pieces of an ordinary DynamoDB API
// request: a table and index, a ProjectionExpression, a condition in
// DynamoDB's expression language, an UpdateExpression, an item, a
// ReturnValues setting, with the ExpressionAttributeNames and
// ExpressionAttributeValues those expressions use. The service then runs
// the statement through its own Query, Scan, GetItem, PutItem, UpdateItem
// and DeleteItem, so there is one evaluator, not two.
//
// Parse needs no table schema. What depends on the key schema is asked
// afterwards: Split (a SELECT's WHERE as a KeyConditionExpression plus a
// FilterExpression, or a Scan), Key (the primary key an UPDATE, DELETE or
// EXISTS names, plus the rest of its WHERE as a ConditionExpression),
// ReadKey (a SELECT inside BatchExecuteStatement or ExecuteTransaction,
// which must name exactly one item), CheckKeyTypes and CheckOrderBy.
//
// Every attribute name is emitted as a #placeholder and every literal or
// parameter as a :placeholder, so reserved words of the expression language
// never collide. Errors are *Error, whose Message is DynamoDB's text for a
// ValidationException. README.md says how the service executes each kind
// of statement. A Statement is plain data: safe for concurrent reads, but
// InsertCondition adds a name to it, so call that before sharing.
package partiql
