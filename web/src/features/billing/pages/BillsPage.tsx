// Placeholder: replaced by the page's implementation.
export default function BillsPage() {
  return <div data-testid="billingBills-placeholder" />;
}
