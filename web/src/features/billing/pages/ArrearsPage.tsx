// Placeholder: replaced by the page's implementation.
export default function ArrearsPage() {
  return <div data-testid="billingArrears-placeholder" />;
}
