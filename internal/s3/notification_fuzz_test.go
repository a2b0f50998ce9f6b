package s3

import (
	"encoding/xml"
	"net/http/httptest"
	"testing"
)

// FuzzNotificationConfig: decoding and validating any document never
// panics, and a document that validates matches keys without panicking.
func FuzzNotificationConfig(f *testing.F) {
	f.Add(`<NotificationConfiguration><CloudFunctionConfiguration><Id>a</Id><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:f</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>in/</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration></NotificationConfiguration>`)
	f.Add(`<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:f</CloudFunction><Event>s3:ObjectRemoved:*</Event></CloudFunctionConfiguration><CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:g</CloudFunction><Event>s3:ObjectRemoved:Delete</Event></CloudFunctionConfiguration></NotificationConfiguration>`)
	f.Add(`<NotificationConfiguration><QueueConfiguration/></NotificationConfiguration>`)
	s := &Service{notifier: newFakeNotifier(0)}
	c := &call{r: httptest.NewRequest("PUT", "/b?notification", nil)}
	f.Fuzz(func(t *testing.T, doc string) {
		var cfg notificationConfiguration
		if xml.Unmarshal([]byte(doc), &cfg) != nil {
			return
		}
		if s.validateNotification(c, &cfg) != nil {
			return
		}
		for _, l := range cfg.Lambdas {
			l.matches("ObjectCreated:Put", "in/x.csv")
			l.matches("ObjectRemoved:Delete", "")
		}
	})
}
