// Placeholder: replaced by the page's implementation.
export default function FundPage() {
  return <div data-testid="billingFund-placeholder" />;
}
