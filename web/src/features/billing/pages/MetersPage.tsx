// Placeholder: replaced by the page's implementation.
export default function MetersPage() {
  return <div data-testid="billingMeters-placeholder" />;
}
