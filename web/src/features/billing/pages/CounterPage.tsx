// Placeholder: replaced by the page's implementation.
export default function CounterPage() {
  return <div data-testid="billingCounter-placeholder" />;
}
