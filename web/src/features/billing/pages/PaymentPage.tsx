// Placeholder: replaced by the page's implementation.
export default function PaymentPage() {
  return <div data-testid="billingPayment-placeholder" />;
}
