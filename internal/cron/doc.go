// Package cron parses AWS Glue schedule expressions and computes their
// firing times. It is a leaf: it imports only the standard library, and
// both the Glue Data Catalog (crawler schedules) and Glue jobs (SCHEDULED
// triggers) use it.
//
// An expression is cron(Minutes Hours Day-of-month Month Day-of-week Year),
// in UTC, as documented for Glue at
// https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
// (the same syntax as EventBridge):
//
//	Minutes       0-59               , - * /
//	Hours         0-23               , - * /
//	Day-of-month  1-31               , - * ? / L LW nW
//	Month         1-12 or JAN-DEC    , - * /
//	Day-of-week   1-7 or SUN-SAT     , - * ? / L nL n#k   (1 = SUN)
//	Year          1970-2199          , - * / (and ?, meaning any year)
//
// A field is a comma list of *, n, a-b, n/s (n, n+s, ... up to the
// field's maximum), a-b/s and */s; names are case-insensitive. In
// Day-of-month, L is the last day of the month, LW its last weekday and
// nW the weekday nearest day n that is in the same month (a month without
// day n does not fire). In Day-of-week, L alone is the last day of the
// week (SAT), nL the last such weekday of the month and n#k its k-th
// (k 1-5; a month without a k-th does not fire). Exactly one of the two
// day fields must be ?.
//
// Not enforced: AWS's "no rates faster than 5 minutes".
//
// Parse returns errors that match ErrSyntax with errors.Is; their text
// (e.g. `minutes: bad value "60"`) is meant to be shown to the user
// inside the service's own InvalidInputException message. A Schedule is
// immutable once parsed and safe for concurrent use.
package cron
