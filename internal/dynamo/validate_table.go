package dynamo

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Validation of table and index definitions, with DynamoDB's messages.

var tableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

func validateTableName(field, name string) error {
	if name == "" {
		return errNull(field)
	}
	if len(name) < 3 || len(name) > 255 {
		return errConstraint(name, field, "Member must have length less than or equal to 255, Member must have length greater than or equal to 3")
	}
	if !tableNameRE.MatchString(name) {
		return errConstraint(name, field, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	return nil
}

// parseKeySchema validates a table or index KeySchema.
func parseKeySchema(ks []KeySchemaElement, defs map[string]attr.Kind, field string) (keyAttr, *keyAttr, error) {
	if ks == nil {
		return keyAttr{}, nil, errNull(field)
	}
	if len(ks) < 1 || len(ks) > 2 {
		return keyAttr{}, nil, errConstraint(fmtKeySchema(ks), field, "Member must have length less than or equal to 2, Member must have length greater than or equal to 1")
	}
	for i, k := range ks {
		if k.KeyType != "HASH" && k.KeyType != "RANGE" {
			return keyAttr{}, nil, errConstraint(k.KeyType, fmt.Sprintf("%s.%d.member.keyType", field, i+1), "Member must satisfy enum value set: [HASH, RANGE]")
		}
		if k.AttributeName == "" {
			return keyAttr{}, nil, errNull(fmt.Sprintf("%s.%d.member.attributeName", field, i+1))
		}
	}
	if ks[0].KeyType != "HASH" {
		return keyAttr{}, nil, errValidation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 {
		if ks[1].KeyType != "RANGE" {
			return keyAttr{}, nil, errValidation("Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key")
		}
		if ks[0].AttributeName == ks[1].AttributeName {
			return keyAttr{}, nil, errValidation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
		}
	}
	var missing []string
	for _, k := range ks {
		if _, ok := defs[k.AttributeName]; !ok {
			missing = append(missing, k.AttributeName)
		}
	}
	if missing != nil {
		names := make([]string, 0, len(defs))
		for n := range defs {
			names = append(names, n)
		}
		sort.Strings(names)
		return keyAttr{}, nil, errInvalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
			strings.Join(missing, ", "), strings.Join(names, ", "))
	}
	h := keyAttr{Name: ks[0].AttributeName, Type: defs[ks[0].AttributeName]}
	if len(ks) == 1 {
		return h, nil, nil
	}
	return h, &keyAttr{Name: ks[1].AttributeName, Type: defs[ks[1].AttributeName]}, nil
}

func fmtKeySchema(ks []KeySchemaElement) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = fmt.Sprintf("KeySchemaElement(attributeName=%s, keyType=%s)", k.AttributeName, k.KeyType)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// parseAttrDefs validates AttributeDefinitions.
func parseAttrDefs(defs []AttributeDefinition) (map[string]attr.Kind, error) {
	if defs == nil {
		return nil, errNull("attributeDefinitions")
	}
	m := map[string]attr.Kind{}
	for i, a := range defs {
		if a.AttributeName == "" {
			return nil, errNull(fmt.Sprintf("attributeDefinitions.%d.member.attributeName", i+1))
		}
		k, ok := attr.ParseKind(a.AttributeType)
		if !ok || !k.IsKey() {
			return nil, errConstraint(a.AttributeType, fmt.Sprintf("attributeDefinitions.%d.member.attributeType", i+1), "Member must satisfy enum value set: [B, N, S]")
		}
		if _, dup := m[a.AttributeName]; dup {
			return nil, errInvalidParam("Duplicate AttributeName in AttributeDefinitions: %s", a.AttributeName)
		}
		m[a.AttributeName] = k
	}
	return m, nil
}

func parseProjection(p *Projection, field string) (string, []string, error) {
	if p == nil {
		return "", nil, errNull(field)
	}
	switch p.ProjectionType {
	case "ALL", "KEYS_ONLY", "":
		if len(p.NonKeyAttributes) > 0 {
			pt := p.ProjectionType
			if pt == "" {
				pt = "null"
			}
			return "", nil, errInvalidParam("ProjectionType is %s, but NonKeyAttributes is specified", pt)
		}
		if p.ProjectionType == "" {
			return "", nil, errInvalidParam("Unknown ProjectionType: null")
		}
		return p.ProjectionType, nil, nil
	case "INCLUDE":
		if len(p.NonKeyAttributes) == 0 {
			return "", nil, errInvalidParam("NonKeyAttributes must not be empty")
		}
		return "INCLUDE", append([]string(nil), p.NonKeyAttributes...), nil
	}
	return "", nil, errConstraint(p.ProjectionType, field+".projectionType", "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")
}

// validateThroughput checks ProvisionedThroughput against the billing mode.
func validateThroughput(billing string, pt *ProvisionedThroughput, field string) (int64, int64, error) {
	if billing == "PAY_PER_REQUEST" {
		if pt != nil {
			return 0, 0, errInvalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		return 0, 0, nil
	}
	if pt == nil {
		return 0, 0, errValidation("No provisioned throughput specified for the table")
	}
	if pt.ReadCapacityUnits == nil || pt.WriteCapacityUnits == nil {
		return 0, 0, errInvalidParam("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	}
	if *pt.ReadCapacityUnits < 1 {
		return 0, 0, errConstraint(*pt.ReadCapacityUnits, field+".readCapacityUnits", "Member must have value greater than or equal to 1")
	}
	if *pt.WriteCapacityUnits < 1 {
		return 0, 0, errConstraint(*pt.WriteCapacityUnits, field+".writeCapacityUnits", "Member must have value greater than or equal to 1")
	}
	return *pt.ReadCapacityUnits, *pt.WriteCapacityUnits, nil
}

func validateBilling(b string) (string, error) {
	switch b {
	case "":
		return "PROVISIONED", nil
	case "PROVISIONED", "PAY_PER_REQUEST":
		return b, nil
	}
	return "", errConstraint(b, "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
}

func validateStreamSpec(sp *StreamSpecification) (bool, string, error) {
	if sp == nil {
		return false, "", nil
	}
	if sp.StreamEnabled == nil {
		return false, "", errNull("streamSpecification.streamEnabled")
	}
	if !*sp.StreamEnabled {
		if sp.StreamViewType != "" {
			return false, "", errInvalidParam("StreamSpecification: StreamViewType cannot be specified when StreamEnabled is false")
		}
		return false, "", nil
	}
	switch sp.StreamViewType {
	case "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
		return true, sp.StreamViewType, nil
	case "":
		return false, "", errInvalidParam("StreamSpecification: StreamViewType must be specified when StreamEnabled is true")
	}
	return false, "", errConstraint(sp.StreamViewType, "streamSpecification.streamViewType", "Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]")
}

// buildGSI validates one GSI definition for a table in billing mode.
func buildGSI(g *GlobalSecondaryIndex, i int, defs map[string]attr.Kind, billing string, field string) (indexDesc, error) {
	f := fmt.Sprintf("%s.%d.member", field, i+1)
	if g.IndexName == "" {
		return indexDesc{}, errNull(f + ".indexName")
	}
	if len(g.IndexName) < 3 || len(g.IndexName) > 255 || !tableNameRE.MatchString(g.IndexName) {
		return indexDesc{}, errConstraint(g.IndexName, f+".indexName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	h, r, err := parseKeySchema(g.KeySchema, defs, f+".keySchema")
	if err != nil {
		return indexDesc{}, err
	}
	pt, nk, err := parseProjection(g.Projection, f+".projection")
	if err != nil {
		return indexDesc{}, err
	}
	ix := indexDesc{Name: g.IndexName, Global: true, Hash: h, Range: r, Projection: pt, NonKey: nk, OnDemand: g.OnDemandThroughput}
	if billing == "PAY_PER_REQUEST" {
		if g.ProvisionedThroughput != nil {
			return indexDesc{}, errInvalidParam("ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", g.IndexName)
		}
	} else {
		if g.ProvisionedThroughput == nil {
			return indexDesc{}, errInvalidParam("ProvisionedThroughput must be specified for index: %s", g.IndexName)
		}
		if ix.RCU, ix.WCU, err = validateThroughput(billing, g.ProvisionedThroughput, f+".provisionedThroughput"); err != nil {
			return indexDesc{}, err
		}
	}
	return ix, nil
}
