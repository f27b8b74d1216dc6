// Placeholder: replaced by the page's implementation.
export default function RefundsPage() {
  return <div data-testid="billingRefunds-placeholder" />;
}
