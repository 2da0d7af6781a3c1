package gofivetest

// handlers serves every operation of the spec but the token endpoint (see Server.token).
// TestEveryOperationHasAHandler holds this table and the spec together.
var handlers = map[string]func(*store, *call) response{
	// Customer
	"createOrUpdateCustomer":     createOrUpdateCustomer,
	"getCustomerByCode":          getCustomerByCode,
	"createCustomerSatisfaction": createCustomerSatisfaction,
	"addCustomerEvent":           addCustomerEvent,
	"getCustomerEvents":          getCustomerEvents,
	"editCustomerEvent":          editCustomerEvent,
	"getCustomerEventTypes":      getCustomerEventTypes,
	// Case
	"addCase":  addCase,
	"editCase": editCase,
	// Contract
	"createOrUpdateContract":                 createOrUpdateContract,
	"getContractByNo":                        getContractByNo,
	"createOrUpdateContractServiceAgreement": createOrUpdateContractServiceAgreement,
	// Conversation
	"conversationEnquiry": conversationEnquiry,
	// Deal
	"createDeal": createDeal,
	"updateDeal": updateDeal,
	// Employee
	"employeesEnquiry": employeesEnquiry,
	// Expense
	"createExpense":  createExpense,
	"updateExpense":  updateExpense,
	"expenseEnquiry": expenseEnquiry,
	"getExpense":     getExpense,
	// Product
	"createOrUpdateProducts":       createOrUpdateProducts,
	"getProductTicket":             getProductTicket,
	"getProductsWithTakeAndStatus": getProductsWithTakeAndStatus,
	"getProductByCode":             getProductByCode,
	"getProductsByFilter":          getProductsByFilter,
	"verifySerialNumber":           verifySerialNumber,
	"getSerialStatus":              getSerialStatus,
	"updateProductStock":           updateProductStock,
	"getProductUnits":              getProductUnits,
	// Quotation
	"createOrUpdateQuotation":      createOrUpdateQuotation,
	"convertQuotationToSalesOrder": convertQuotationToSalesOrder,
	"quotationEnquiry":             quotationEnquiry,
	"getQuotation":                 getQuotation,
	// SalesOrder
	"createOrUpdateSalesOrder": createOrUpdateSalesOrder,
	"getSalesOrder":            getSalesOrder,
	"rejectSalesOrders":        rejectSalesOrders,
	"updateSalesOrderPayment":  updateSalesOrderPayment,
	// Setting
	"getHeaderTemplate": getHeaderTemplate,
}

// conversationEnquiry: POST /v1/conversation/enquiry. Nothing but the path is known; the fake
// has no conversations and answers data as an empty array.
func conversationEnquiry(*store, *call) response { return ok([]any{}) }

// getHeaderTemplate: GET /v2/salesorder/headerTemplate. The response is not documented; the
// fake answers data as a list of {"headerTemplateId","headerTemplateName"} (its own guess).
func getHeaderTemplate(s *store, _ *call) response { return ok(clone(s.headerTemplates)) }
