// Placeholder: replaced by the page's implementation.
export default function FeeItemsPage() {
  return <div data-testid="billingItems-placeholder" />;
}
