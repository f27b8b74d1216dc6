// Placeholder: replaced by the page's implementation.
export default function InvoicesPage() {
  return <div data-testid="billingInvoices-placeholder" />;
}
