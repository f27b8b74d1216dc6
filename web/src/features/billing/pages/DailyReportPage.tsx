// Placeholder: replaced by the page's implementation.
export default function DailyReportPage() {
  return <div data-testid="billingDaily-placeholder" />;
}
