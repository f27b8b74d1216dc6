import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { PieChart as Pie } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { PieSeriesOption } from 'echarts/charts';
import type { LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { formatYuan } from '../../../../lib/format.ts';

// Only the pie, so the daily report does not carry all of ECharts.
echarts.use([Pie, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<PieSeriesOption | LegendComponentOption | TooltipComponentOption>;

/** A small ring of shares (amounts in 分, shown in 元), following its box's size and disposed with the component. */
export function PieChart({ data, height = 220, testId }: { data: Array<{ name: string; fen: number; color: string }>; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = echarts.init(el);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const option: Option = {
      tooltip: { trigger: 'item', valueFormatter: (v) => `¥${formatYuan(Number(v))}` },
      legend: { orient: 'vertical', right: 0, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['35%', '50%'],
          label: { show: false },
          data: data.map((d) => ({ name: d.name, value: d.fen, itemStyle: { color: d.color } })),
        },
      ],
    };
    chart.current?.setOption(option, { notMerge: true });
  }, [data]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
