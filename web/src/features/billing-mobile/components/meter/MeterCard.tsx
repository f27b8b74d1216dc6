import { useState, type Ref } from 'react';
import { Button, Input, Tag, type InputRef } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled, FireOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useEnterReading, type Meter, type MeterKind, type Reading } from '../../meter-api.ts';
import './meter.css';

/** "12.500" → "12.5": readings and usage travel as decimal strings with the column's scale. */
export const trimDecimal = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A water drop (antd has none). */
function DropIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor" aria-hidden="true">
      <path d="M12 2.5c-.3 0-.6.2-.8.4C9.4 5.3 5 11 5 14.8 5 18.8 8.1 22 12 22s7-3.2 7-7.2C19 11 14.6 5.3 12.8 2.9c-.2-.2-.5-.4-.8-.4Zm0 2.7c1.9 2.6 5 7.1 5 9.6 0 2.9-2.2 5.2-5 5.2s-5-2.3-5-5.2c0-2.5 3.1-7 5-9.6Z" />
    </svg>
  );
}

export function KindIcon({ kind }: { kind: MeterKind }) {
  return <span className={`mm-kind ${kind}`}>{kind === 'water' ? <DropIcon /> : kind === 'electricity' ? <ThunderboltOutlined /> : <FireOutlined />}</span>;
}

interface Props {
  meter: Meter;
  communityId: string;
  periodKey: string;
  /** This period's reading, when the meter is read (by anyone, or just now on this phone). */
  done: Reading | undefined;
  /** The usage of the meter's last reading, when it is known. */
  lastUsage: string | undefined;
  inputRef: Ref<InputRef>;
  /** After a reading is kept: the page moves on to the next meter. */
  onSaved: (meterId: string, reading: Reading) => void;
}

/**
 * One meter: where it is, its last reading and the usage then, and a big numeric field with 保存 (Enter saves too).
 * A kept reading shows ✓ with its usage, one held for an abnormal jump 待审核; the server's refusal stays under the field.
 */
export function MeterCard({ meter, communityId, periodKey, done, lastUsage, inputRef, onSaved }: Props) {
  const { t } = useTranslation();
  const enter = useEnterReading(communityId);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unit = t(`billingMeter.units.${meter.kind}`);

  const save = () => {
    const reading = value.trim();
    if (!reading) {
      setError(t('billingMeter.required'));
      return;
    }
    setError(null);
    enter.mutate(
      { meterId: meter.id, periodKey, reading },
      {
        onSuccess: (r) => {
          setValue('');
          onSaved(meter.id, r);
        },
        onError: (err) => setError(err.message),
      },
    );
  };

  const state = done ? (done.status === 'review' ? 'review' : 'done') : error ? 'error' : '';
  return (
    <div className={`mm-card ${state}`} data-testid="meter-card" data-meter={meter.number} data-state={state || 'open'}>
      <div className="mm-head">
        <KindIcon kind={meter.kind} />
        <div className="mm-room">
          {meter.roomLabel ?? t('billingMeter.shared')}
          <div className="mm-sub">
            {t(`billingMeter.kinds.${meter.kind}`)} · {t('billingMeter.number', { number: meter.number })}
            {meter.multiplier !== '1' && trimDecimal(meter.multiplier) !== '1' && ` · ${t('billingMeter.multiplier', { multiplier: trimDecimal(meter.multiplier) })}`}
          </div>
        </div>
      </div>
      <div className="mm-last" data-testid="meter-last">
        {done
          ? t('billingMeter.previous', { reading: trimDecimal(done.previousReading) })
          : meter.lastReading
            ? `${t('billingMeter.last', { reading: trimDecimal(meter.lastReading.reading), period: meter.lastReading.periodKey })}${lastUsage !== undefined ? ` · ${t('billingMeter.lastUsage', { usage: trimDecimal(lastUsage) })} ${unit}` : ''}`
            : t('billingMeter.initial', { reading: trimDecimal(meter.initialReading) })}
      </div>
      {done ? (
        <div className="mm-result" data-testid="meter-result">
          {done.status === 'review' ? <ExclamationCircleFilled style={{ color: '#fa8c16', fontSize: 22 }} /> : <CheckCircleFilled style={{ color: '#52c41a', fontSize: 22 }} />}
          <span style={{ fontWeight: 600 }}>{t('billingMeter.savedReading', { reading: trimDecimal(done.reading) })}</span>
          {done.status === 'review' && <Tag color="orange" data-testid="meter-review">{t('billingMeter.review')}</Tag>}
        </div>
      ) : (
        <>
          <div className="mm-entry">
            <Input
              ref={inputRef}
              size="large"
              inputMode="decimal"
              enterKeyHint="next"
              autoComplete="off"
              placeholder={t('billingMeter.placeholder')}
              value={value}
              status={error ? 'error' : undefined}
              onChange={(e) => {
                setValue(e.target.value.replace(/[^\d.]/g, ''));
                if (error) setError(null);
              }}
              onPressEnter={save}
              // Read-only (not disabled) while saving, so the keyboard stays up if the server refuses it.
              readOnly={enter.isPending}
              data-testid="meter-input"
            />
            <Button type="primary" size="large" loading={enter.isPending} onClick={save} data-testid="meter-save">
              {t('billingMeter.save')}
            </Button>
          </div>
          {error && (
            <div className="mm-error" role="alert" data-testid="meter-error">
              {error}
            </div>
          )}
        </>
      )}
      {done && (
        <div className="mm-sub" style={{ marginTop: 4 }} data-testid="meter-usage">
          {done.status === 'review'
            ? t('billingMeter.reviewHint', { usage: trimDecimal(done.usage), unit })
            : t('billingMeter.saved', { usage: trimDecimal(done.usage), unit })}
        </div>
      )}
    </div>
  );
}
