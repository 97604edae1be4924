package saga

import (
	"strconv"

	"github.com/msgplay/msgplay/patterns"
)

// Step is one step of the order saga, in the order the saga takes them.
type Step int

// The steps of the saga. Shipping is the pivot: once a shipment is created
// the saga can only go forward.
const (
	Payment Step = iota
	Inventory
	Shipping
	numSteps
)

// Pivot is the saga's go/no-go step: once it may have happened the saga
// can only go forward, so it is never compensated. When its outcome is
// unknown after its retries, the orchestrator keeps asking.
const Pivot = Shipping

// stepDef is everything the simulation knows about a step: the service
// that owns it, its commands, its replies (or events), and the values it
// keeps in its own database.
type stepDef struct {
	name                     string // the step and its service's actor name
	do, undo                 string // command types
	ok, failed, undone       string // reply (orchestration) or event (choreography) types
	key                      string // its database key prefix
	doneVal, failVal, offVal string // the values of that key
	failNote                 string // why the service rejects a step (a business failure)
	undoNote                 string // what the compensation does
	topic                    string // choreography: the topic its events go to
	subjOK, subjNo           string // choreography: subjects of its good and bad news
	queue                    string // orchestration: its command queue
}

var steps = [numSteps]stepDef{
	{name: "payment", do: "AuthorizePayment", undo: "VoidPayment",
		ok: "PaymentAuthorized", failed: "PaymentDeclined", undone: "PaymentVoided",
		key: "payment/", doneVal: "AUTHORIZED", failVal: "DECLINED", offVal: "VOIDED",
		failNote: "card declined", undoNote: "authorization voided: the customer is not charged",
		topic: "pay", subjOK: "payment.authorized", subjNo: "payment.rejected", queue: "payment.in"},
	{name: "inventory", do: "ReserveInventory", undo: "ReleaseInventory",
		ok: "InventoryReserved", failed: "InventoryRejected", undone: "InventoryReleased",
		key: "reservation/", doneVal: "HELD", failVal: "REJECTED", offVal: "RELEASED",
		failNote: "item not sellable", undoNote: "reservation released: the unit is back in stock",
		topic: "stock", subjOK: "stock.reserved", subjNo: "stock.rejected", queue: "inventory.in"},
	{name: "shipping", do: "CreateShipment", undo: "CancelShipment",
		ok: "ShipmentCreated", failed: "ShipmentFailed", undone: "ShipmentCancelled",
		key: "shipment/", doneVal: "CREATED", failVal: "FAILED", offVal: "CANCELLED",
		failNote: "address undeliverable", undoNote: "shipment cancelled",
		topic: "ship", subjOK: "shipping.created", subjNo: "shipping.rejected", queue: "shipping.in"},
}

// String returns the step's name: payment, inventory or shipping.
func (s Step) String() string {
	if s >= 0 && s < numSteps {
		return steps[s].name
	}
	return "step" + strconv.Itoa(int(s))
}

// StepNames lists the steps, for flags and errors.
func StepNames() []string {
	names := make([]string, numSteps)
	for i := range steps {
		names[i] = steps[i].name
	}
	return names
}

// ParseStep returns the step called name.
func ParseStep(name string) (Step, bool) {
	for i := range steps {
		if steps[i].name == name {
			return Step(i), true
		}
	}
	return 0, false
}

// commandStep returns the step a command type belongs to and whether it is
// the compensation; ok is false for an unknown type.
func commandStep(typ string) (s Step, undo, ok bool) {
	for i := range steps {
		switch typ {
		case steps[i].do:
			return Step(i), false, true
		case steps[i].undo:
			return Step(i), true, true
		}
	}
	return 0, false, false
}

// orderNum returns the number of the order whose business key is key,
// or 0 for a key patterns.OrderKey does not write.
func orderNum(key string) int {
	if n, ok := patterns.OrderNumber(key); ok {
		return n
	}
	return 0
}
