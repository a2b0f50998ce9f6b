package sample

import "time"

// Event is one clickstream row. Type is one of page_view, search,
// product_view, add_to_cart, remove_from_cart, checkout and purchase.
//
// Field use by type: product_view, add_to_cart and remove_from_cart carry
// the product (ProductID, Category, Price as the unit price in EUR), and
// the cart events a Quantity; a page_view of a category page carries its
// Category; search carries Query; checkout and purchase carry the cart
// total as Price and the number of units as Quantity, and purchase the
// OrderID of its Order.
//
// Event implements json.Marshaler: the JSON has the tagged field names,
// ts is RFC 3339 in UTC with exactly three fractional digits (sub
// millisecond precision is dropped), and the omitempty fields are left out
// when zero.
type Event struct {
	EventID   string    `json:"event_id"`
	TS        time.Time `json:"ts"`
	SessionID string    `json:"session_id"`
	UserID    string    `json:"user_id"`
	Type      string    `json:"event_type"`
	Page      string    `json:"page"` // "/", "/c/<category>", "/p/<product id>", "/search", "/cart", "/checkout"
	ProductID string    `json:"product_id,omitempty"`
	Category  string    `json:"category,omitempty"`
	Price     float64   `json:"price,omitempty"`
	Quantity  int       `json:"quantity,omitempty"`
	Query     string    `json:"search_query,omitempty"`
	OrderID   string    `json:"order_id,omitempty"`
	Device    string    `json:"device"`   // desktop, mobile or tablet
	Country   string    `json:"country"`  // ISO 3166-1 alpha-2
	Referrer  string    `json:"referrer"` // direct, google, newsletter, instagram or partner
}

// OrderItem is one line of an Order. UnitPrice is in EUR and already
// includes any promotion discount.
type OrderItem struct {
	ProductID string  `json:"product_id"`
	Quantity  int     `json:"quantity"`
	UnitPrice float64 `json:"unit_price"`
}

// Order is what a purchase event produced. OrderID, UserID and TS equal
// those of the purchase event; Items are the cart lines the session added
// and did not remove, in the order first added; Total is the sum of
// Quantity*UnitPrice over Items, exact to the cent. Status is where the
// order stands at the end of the generated window (recent orders are
// still placed, older ones shipped, delivered or returned).
//
// Order implements json.Marshaler with the same ts format as Event.
type Order struct {
	OrderID  string      `json:"order_id"`
	UserID   string      `json:"user_id"`
	TS       time.Time   `json:"ts"`
	Items    []OrderItem `json:"items"`
	Total    float64     `json:"total"`
	Currency string      `json:"currency"`       // always "EUR"
	Country  string      `json:"country"`        // the session's country
	Payment  string      `json:"payment_method"` // card, paypal or klarna
	Status   string      `json:"status"`         // placed, shipped, delivered, returned or cancelled
}

// Event kinds, as stored in rawEvent.kind; kindNames gives Event.Type.
const (
	kindPageView uint8 = iota
	kindSearch
	kindProductView
	kindAddToCart
	kindRemoveFromCart
	kindCheckout
	kindPurchase
)

var kindNames = [...]string{
	kindPageView:       "page_view",
	kindSearch:         "search",
	kindProductView:    "product_view",
	kindAddToCart:      "add_to_cart",
	kindRemoveFromCart: "remove_from_cart",
	kindCheckout:       "checkout",
	kindPurchase:       "purchase",
}

// Pages, as stored in rawEvent.page.
const (
	pageHome uint8 = iota
	pageCategory
	pageProduct
	pageSearch
	pageCart
	pageCheckout
)
