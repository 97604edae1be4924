package pubsub

import "strings"

// service is what one downstream service does with an order.
type service struct {
	effect  string // the note of its handle event: one short word, so the line fits
	failure string // why its handler fails, with --fail
	command string // the command it takes in direct mode
	reply   string // the reply it sends when done
}

var services = map[string]service{
	"inventory": {"reserved", "no stock left", "ReserveStock", "StockReserved"},
	"payment":   {"charged", "card declined", "ChargePayment", "PaymentCharged"},
	"email":     {"emailed", "mail server refused it", "SendConfirmation", "ConfirmationSent"},
	"shipping":  {"booked", "no courier available", "BookShipment", "ShipmentBooked"},
	"analytics": {"recorded", "warehouse unreachable", "RecordSale", "SaleRecorded"},
}

// about returns what the service called name does, inventing a plain
// description for a name the story does not know.
func about(name string) service {
	if s, ok := services[name]; ok {
		return s
	}
	title := strings.ToUpper(name[:1]) + name[1:]
	title = strings.NewReplacer("-", "", "_", "").Replace(title)
	return service{"done", "it threw an error", "Process" + title, title + "Done"}
}

func effect(name string) string  { return about(name).effect }
func failure(name string) string { return about(name).failure }
