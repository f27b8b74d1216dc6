// Placeholder: replaced by the page's implementation.
export default function PaymentsPage() {
  return <div data-testid="billingPayments-placeholder" />;
}
