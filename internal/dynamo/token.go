package dynamo

import "github.com/tarnhq/tarn/internal/token"

// Opaque tokens (internal/token) of this service, by kind byte.
const tokenIterator byte = 'I'

// errBadToken means a token was not made by this tarn or was altered.
var errBadToken = token.ErrInvalid
