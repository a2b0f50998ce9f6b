package sample

// Product is one article of the Tarn Outfitters catalog. Price is the list
// price in EUR with cents; the Summit Sale discount is not applied here.
type Product struct {
	ID       string
	Name     string
	Category string // a category slug, as in the page path "/c/<slug>"
	Price    float64
}

// Category slugs, in catalog order. Indexes into this table are the
// category numbers used by article.cat.
var categories = [...]string{
	"tents", "sleeping-bags", "backpacks", "footwear",
	"jackets", "climbing", "cooking", "accessories",
}

// Category numbers, matching categories.
const (
	catTents = iota
	catSleeping
	catBackpacks
	catFootwear
	catJackets
	catClimbing
	catCooking
	catAccessories
	numCategories
)

// categoryWeights is how often a session is about each category
// (November: jackets and footwear lead).
var categoryWeights = newWeights(12, 10, 14, 16, 19, 8, 9, 12)

// article is a catalog row: the public Product plus how popular it is
// within its category (a relative weight).
type article struct {
	id    string
	name  string
	cat   int
	cents int64
	pop   uint64
}

// articles is the fixed catalog. It is never modified; Catalog copies it.
var articles = [...]article{
	{"TEN-001", "Ridgeline 1P Ultralight Tent", catTents, 34900, 6},
	{"TEN-002", "Ridgeline 2P Ultralight Tent", catTents, 42900, 10},
	{"TEN-003", "Basecamp 4P Family Tent", catTents, 28995, 7},
	{"TEN-004", "Summit Storm 2P Expedition Tent", catTents, 68900, 3},
	{"TEN-005", "Meadow 3P Dome Tent", catTents, 19990, 8},
	{"TEN-006", "Trekker Trail Tarp Shelter", catTents, 11900, 4},
	{"TEN-007", "Pinecone 2P Backpacking Tent", catTents, 24950, 9},

	{"SLB-001", "Ember 800 Down Sleeping Bag", catSleeping, 32900, 8},
	{"SLB-002", "Glacier Expedition Sleeping Bag", catSleeping, 54900, 3},
	{"SLB-003", "Drift Synthetic Sleeping Bag", catSleeping, 12995, 9},
	{"SLB-004", "Cocoon Summer Sleeping Bag", catSleeping, 7990, 4},
	{"SLB-005", "Nimbus Inflatable Sleeping Pad", catSleeping, 10900, 10},
	{"SLB-006", "Foamlite Closed-Cell Pad", catSleeping, 3495, 5},
	{"SLB-007", "Silk Sleeping Bag Liner", catSleeping, 4990, 4},

	{"BPK-001", "Trailhead 22 Daypack", catBackpacks, 8995, 12},
	{"BPK-002", "Trailhead 32 Daypack", catBackpacks, 11495, 9},
	{"BPK-003", "Longhaul 55 Trekking Pack", catBackpacks, 22900, 7},
	{"BPK-004", "Longhaul 65 Trekking Pack", catBackpacks, 25900, 6},
	{"BPK-005", "Alpine 40 Climbing Pack", catBackpacks, 17900, 4},
	{"BPK-006", "Scout 12 Kids Pack", catBackpacks, 4490, 3},
	{"BPK-007", "Hydra 10 Running Vest", catBackpacks, 9900, 5},
	{"BPK-008", "Rolltop 25 Dry Pack", catBackpacks, 7450, 5},

	{"FTW-001", "Ridge Mid GTX Hiking Boot", catFootwear, 18995, 14},
	{"FTW-002", "Ridge Low Hiking Shoe", catFootwear, 15995, 9},
	{"FTW-003", "Scree Approach Shoe", catFootwear, 13900, 5},
	{"FTW-004", "Summit Pro Mountaineering Boot", catFootwear, 44900, 2},
	{"FTW-005", "Trailrunner 3 Trail Shoe", catFootwear, 13490, 10},
	{"FTW-006", "Camp Slide Sandal", catFootwear, 3995, 3},
	{"FTW-007", "Merino Hiking Socks 2-Pack", catFootwear, 2990, 8},
	{"FTW-008", "Waterproof Gaiters", catFootwear, 4400, 3},

	{"JKT-001", "Stormshell 3L Rain Jacket", catJackets, 27900, 12},
	{"JKT-002", "Stormshell Rain Pants", catJackets, 16900, 5},
	{"JKT-003", "Featherlite Down Jacket", catJackets, 22995, 14},
	{"JKT-004", "Featherlite Down Vest", catJackets, 14995, 6},
	{"JKT-005", "Thermal Fleece Midlayer", catJackets, 8990, 10},
	{"JKT-006", "Windrunner Softshell Jacket", catJackets, 15900, 7},
	{"JKT-007", "Polar Expedition Parka", catJackets, 49900, 3},
	{"JKT-008", "Merino Base Layer Top", catJackets, 7995, 8},
	{"JKT-009", "Packable Wind Shell", catJackets, 9950, 5},

	{"CLM-001", "Granite Climbing Harness", catClimbing, 6995, 8},
	{"CLM-002", "Crag 60m Dynamic Rope", catClimbing, 18900, 5},
	{"CLM-003", "Crux Climbing Shoe", catClimbing, 12495, 9},
	{"CLM-004", "Keylock Carabiner Set (6)", catClimbing, 5990, 6},
	{"CLM-005", "Belay Device with Locker", catClimbing, 3995, 5},
	{"CLM-006", "Summit Climbing Helmet", catClimbing, 7900, 6},
	{"CLM-007", "Chalk Bag with Belt", catClimbing, 2250, 7},
	{"CLM-008", "Quickdraw Set (5)", catClimbing, 8400, 4},

	{"COK-001", "Blaze Canister Stove", catCooking, 6990, 9},
	{"COK-002", "Blaze Stove Cook System", catCooking, 13900, 5},
	{"COK-003", "Titanium Pot 750ml", catCooking, 4495, 6},
	{"COK-004", "Camp Cutlery Set", catCooking, 1995, 6},
	{"COK-005", "Squeeze Water Filter", catCooking, 3990, 8},
	{"COK-006", "Insulated Mug 450ml", catCooking, 2495, 6},
	{"COK-007", "Fuel Canister 230g", catCooking, 695, 7},

	{"ACC-001", "Beacon 400 Headlamp", catAccessories, 4995, 12},
	{"ACC-002", "Carbon Trekking Poles (Pair)", catAccessories, 12900, 7},
	{"ACC-003", "Trail Navigator Compass", catAccessories, 3490, 4},
	{"ACC-004", "Glacier Trekking Sunglasses", catAccessories, 8900, 4},
	{"ACC-005", "Merino Beanie", catAccessories, 2995, 9},
	{"ACC-006", "Insulated Gloves", catAccessories, 5490, 8},
	{"ACC-007", "Emergency First Aid Kit", catAccessories, 3900, 5},
	{"ACC-008", "Stainless Water Bottle 1L", catAccessories, 2750, 6},
}

// searchQueries are what visitors type, grouped by the category they
// lead to.
var searchQueries = [numCategories][]string{
	catTents:       {"tent", "2 person tent", "ultralight tent", "family tent", "tarp"},
	catSleeping:    {"sleeping bag", "down sleeping bag", "sleeping pad", "liner"},
	catBackpacks:   {"backpack", "daypack", "65l backpack", "hiking backpack"},
	catFootwear:    {"hiking boots", "trail running shoes", "waterproof boots", "gore tex boots", "socks"},
	catJackets:     {"rain jacket", "down jacket", "fleece", "winter jacket", "softshell"},
	catClimbing:    {"harness", "climbing rope", "carabiner", "climbing shoes"},
	catCooking:     {"camping stove", "water filter", "titanium pot", "gas canister"},
	catAccessories: {"headlamp", "trekking poles", "gloves", "compass", "sunglasses"},
}

// Tables derived from articles once, read-only afterwards: each
// category's articles with their popularity, the popularity of every
// article, and the page paths.
var (
	byCategory   = articlesByCategory()
	popularity   = articlePopularity()
	productPages = pagePaths(len(articles), func(i int) string { return "/p/" + articles[i].id })
	catPages     = pagePaths(numCategories, func(i int) string { return "/c/" + categories[i] })
)

type categoryArticles struct {
	articles []int16
	weights  weights
}

func articlesByCategory() (t [numCategories]categoryArticles) {
	var w [numCategories][]uint64
	for i, a := range articles {
		t[a.cat].articles = append(t[a.cat].articles, int16(i))
		w[a.cat] = append(w[a.cat], a.pop)
	}
	for c := range t {
		t[c].weights = newWeights(w[c]...)
	}
	return t
}

func articlePopularity() weights {
	w := make([]uint64, len(articles))
	for i, a := range articles {
		w[i] = a.pop
	}
	return newWeights(w...)
}

func pagePaths(n int, path func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = path(i)
	}
	return out
}

// Catalog returns the fixed product catalog in ID order. The slice is new
// on every call and the caller may modify it.
func Catalog() []Product {
	out := make([]Product, len(articles))
	for i, a := range articles {
		out[i] = Product{ID: a.id, Name: a.name, Category: categories[a.cat], Price: centsToEUR(a.cents)}
	}
	return out
}

// centsToEUR converts cents to the float64 EUR amount closest to it. A
// single IEEE division is exact to round, so the result is the same on
// every machine and prints with at most two decimals.
func centsToEUR(c int64) float64 { return float64(c) / 100 }

// promoCents is the Summit Sale price: 20% off, rounded half up to the
// cent, in integer arithmetic.
func promoCents(c int64) int64 { return (c*80 + 50) / 100 }
