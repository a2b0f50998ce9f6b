// Package awsjson is the server side of the AWS JSON 1.0/1.1 protocol
// (and the seam for its CBOR variant): X-Amz-Target dispatch to typed
// operation handlers, request decoding, response encoding and the error
// shape every AWS SDK reads.
//
// A service builds one Service with its target prefix (for example
// "Kinesis_20131202") and registers each operation with Op, which turns a
// func(ctx, *Input) (*Output, error) into a Handler. ServeHTTP then:
//
//   - resolves the operation from X-Amz-Target ("Prefix.Operation") and
//     records it with request.SetOperation, for metrics;
//   - answers UnknownOperationException (400), naming the operation, when
//     the prefix is wrong or the operation is not registered;
//   - picks the Codec by the request's Content-Type (JSON unless a codec
//     for another media type, such as application/x-amz-cbor-1.1, was
//     registered), decodes the body into the input (an empty body is {}),
//     and answers SerializationException when it does not parse;
//   - encodes the output, or the error as {"__type": code, "message": msg}
//     with the X-Amzn-Errortype header, in the same codec.
//
// Errors: handlers return *Error (directly or wrapped) for AWS errors;
// anything else is logged and answered as a 500 InternalFailure, so
// internal details never reach clients.
//
// Wire types: []byte fields are base64 strings in JSON, exactly as the
// SDKs send them (encoding/json's default); timestamps use Timestamp,
// which is epoch seconds as a JSON number.
package awsjson
