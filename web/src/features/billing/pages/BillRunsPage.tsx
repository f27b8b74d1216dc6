// Placeholder: replaced by the page's implementation.
export default function BillRunsPage() {
  return <div data-testid="billingRuns-placeholder" />;
}
