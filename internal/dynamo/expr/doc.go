// Package expr is DynamoDB's expression language: document paths,
// ProjectionExpression, ConditionExpression and FilterExpression,
// KeyConditionExpression, UpdateExpression, and the legacy parameters
// (Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates,
// AttributesToGet) translated into the same forms.
//
// A request's expressions are parsed once, against one Params holding
// its ExpressionAttributeNames and ExpressionAttributeValues; each Parse
// call records which names and values it used, and Params.CheckUnused
// reports the unused ones after the last parse. Parsed expressions are
// immutable and safe for concurrent use; evaluation does not mutate
// items (Update.Apply returns a new item).
//
// Every validation problem is an *Error whose Message is DynamoDB's exact
// text, including the "Invalid <Kind>: " prefix where DynamoDB has one;
// the service returns it as a ValidationException. The catalog is
// errors.go.
package expr
