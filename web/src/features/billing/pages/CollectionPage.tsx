// Placeholder: replaced by the page's implementation.
export default function CollectionPage() {
  return <div data-testid="billingCollection-placeholder" />;
}
