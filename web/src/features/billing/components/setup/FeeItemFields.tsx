import { Button, Col, DatePicker, Flex, Form, Input, InputNumber, Radio, Row, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../../auth/api.ts';
import type { FeeKind, MeterKind } from '../../api-setup.ts';
import { priceUnitKey } from './periods.ts';

/** The sections of the fee-item form that repeat or depend on the kind: tiers, late fee, discounts, communities. */

export const PRICE_PATTERN = /^\d{1,10}(\.\d{1,4})?$/;
export const YUAN_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;

export function usePriceRule(required: boolean) {
  const { t } = useTranslation();
  return [
    ...(required ? [{ required: true, message: t('validation.required') }] : []),
    { pattern: PRICE_PATTERN, message: t('billingSetup.form.priceFormat') },
  ];
}

export function useYuanRule(required: boolean) {
  const { t } = useTranslation();
  return [
    ...(required ? [{ required: true, message: t('validation.required') }] : []),
    { pattern: YUAN_PATTERN, message: t('billingSetup.form.yuanFormat') },
  ];
}

/** 阶梯价: each tier up to a usage (the last one open-ended) at its own price. */
export function TiersList({ kind, meterKind }: { kind: FeeKind; meterKind?: MeterKind | null }) {
  const { t } = useTranslation();
  const priceRule = usePriceRule(true);
  const unit = t(priceUnitKey(kind, meterKind));
  return (
    <Form.List name="tiers">
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical gap={0} data-testid="item-tiers">
          {fields.map((f, i) => (
            <Row key={f.key} gutter={8} align="top">
              <Col flex="56px">
                <Typography.Text type="secondary" style={{ lineHeight: '32px', whiteSpace: 'nowrap' }}>
                  {t('billingSetup.form.tierN', { n: i + 1 })}
                </Typography.Text>
              </Col>
              <Col flex="200px">
                <Form.Item name={[f.name, 'upTo']} rules={[{ pattern: PRICE_PATTERN, message: t('billingSetup.form.priceFormat') }]} style={{ marginBottom: 8 }}>
                  <Input prefix={t('billingSetup.form.upTo')} placeholder={t('billingSetup.form.upToOpen')} />
                </Form.Item>
              </Col>
              <Col flex="auto">
                <Form.Item name={[f.name, 'unitPrice']} rules={priceRule} style={{ marginBottom: 8 }}>
                  <Input suffix={unit} placeholder="3.50" />
                </Form.Item>
              </Col>
              <Col flex="32px">
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} disabled={fields.length <= 1} aria-label={t('common.delete')} />
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 10} style={{ marginBottom: 16 }}>
            {t('billingSetup.form.addTier')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** 滞纳金: off by default; per day (‰ of the principal) or a fixed amount per month begun, optionally capped. */
export function LateFeeFields() {
  const { t } = useTranslation();
  const on = Form.useWatch('lateFeeOn') as boolean | undefined;
  const mode = Form.useWatch(['lateFee', 'mode']) as 'perDay' | 'perMonth' | undefined;
  const yuanRequired = useYuanRule(true);
  const yuanOptional = useYuanRule(false);
  return (
    <>
      <Form.Item name="lateFeeOn" valuePropName="checked" label={t('billingSetup.form.lateFee')} extra={t('billingSetup.form.lateFeeHint')}>
        <Switch data-testid="item-latefee" />
      </Form.Item>
      {on && (
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name={['lateFee', 'graceDays']} label={t('billingSetup.form.graceDays')}>
              <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} suffix={t('billingSetup.form.days')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['lateFee', 'mode']} label={t('billingSetup.form.lateFeeMode')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'perDay', label: t('billingSetup.form.lateFeePerDay') },
                  { value: 'perMonth', label: t('billingSetup.form.lateFeePerMonth') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={5}>
            {mode === 'perMonth' ? (
              <Form.Item name={['lateFee', 'perMonthFen']} label={t('billingSetup.form.perMonthAmount')} rules={yuanRequired}>
                <Input suffix={t('billingSetup.units.yuan')} />
              </Form.Item>
            ) : (
              <Form.Item name={['lateFee', 'perDayPermille']} label={t('billingSetup.form.perDayPermille')} rules={[{ required: true, message: t('validation.required') }, { pattern: /^\d{1,3}(\.\d{1,4})?$/, message: t('billingSetup.form.priceFormat') }]}>
                <Input suffix="‰" placeholder="0.5" />
              </Form.Item>
            )}
          </Col>
          <Col span={5}>
            <Form.Item name={['lateFee', 'capFen']} label={t('billingSetup.form.lateFeeCap')} rules={yuanOptional}>
              <Input suffix={t('billingSetup.units.yuan')} placeholder={t('common.optional')} />
            </Form.Item>
          </Col>
        </Row>
      )}
    </>
  );
}

/** 优惠: 预交 N 月送 M 月, 空置房 charged at a percent, a fixed reduction — each with an optional validity. */
export function DiscountsList({ kind }: { kind: FeeKind }) {
  const { t } = useTranslation();
  const yuanRule = useYuanRule(true);
  const kinds = kind === 'oneOff' ? (['fixed'] as const) : (['prepay', 'vacancy', 'fixed'] as const);
  return (
    <Form.List name="discounts">
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical data-testid="item-discounts">
          {fields.map((f) => (
            <Form.Item key={f.key} noStyle shouldUpdate>
              {({ getFieldValue }) => {
                const k = getFieldValue(['discounts', f.name, 'kind']) as 'prepay' | 'vacancy' | 'fixed';
                return (
                  <Row gutter={8} align="top" wrap={false}>
                    <Col flex="120px">
                      <Form.Item name={[f.name, 'kind']} style={{ marginBottom: 8 }}>
                        <Select options={kinds.map((d) => ({ value: d, label: t(`billingSetup.discountKinds.${d}`) }))} />
                      </Form.Item>
                    </Col>
                    {k === 'prepay' && (
                      <>
                        <Col flex="130px">
                          <Form.Item name={[f.name, 'payMonths']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 8 }}>
                            <InputNumber min={1} max={120} precision={0} prefix={t('billingSetup.form.payMonths')} suffix={t('billingSetup.form.monthsUnit')} style={{ width: '100%' }} />
                          </Form.Item>
                        </Col>
                        <Col flex="130px">
                          <Form.Item name={[f.name, 'freeMonths']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 8 }}>
                            <InputNumber min={1} max={120} precision={0} prefix={t('billingSetup.form.freeMonths')} suffix={t('billingSetup.form.monthsUnit')} style={{ width: '100%' }} />
                          </Form.Item>
                        </Col>
                      </>
                    )}
                    {k === 'vacancy' && (
                      <Col flex="260px">
                        <Form.Item name={[f.name, 'percent']} rules={[{ required: true, message: t('validation.required') }, { pattern: /^\d{1,3}(\.\d{1,2})?$/, message: t('billingSetup.form.priceFormat') }]} style={{ marginBottom: 8 }}>
                          <Input prefix={t('billingSetup.form.vacancyCharged')} suffix="%" placeholder="50" />
                        </Form.Item>
                      </Col>
                    )}
                    {k === 'fixed' && (
                      <Col flex="260px">
                        <Form.Item name={[f.name, 'reductionFen']} rules={yuanRule} style={{ marginBottom: 8 }}>
                          <Input prefix={t('billingSetup.form.reduction')} suffix={t('billingSetup.units.yuanPerBill')} />
                        </Form.Item>
                      </Col>
                    )}
                    <Col flex="auto">
                      <Flex gap={4}>
                        <Form.Item name={[f.name, 'validFrom']} style={{ marginBottom: 8, flex: 1 }}>
                          <DatePicker placeholder={t('billingSetup.form.validFrom')} style={{ width: '100%' }} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'validTo']} style={{ marginBottom: 8, flex: 1 }}>
                          <DatePicker placeholder={t('billingSetup.form.validTo')} style={{ width: '100%' }} />
                        </Form.Item>
                      </Flex>
                    </Col>
                    <Col flex="32px">
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Col>
                  </Row>
                );
              }}
            </Form.Item>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: kinds[0] })} disabled={fields.length >= 20} style={{ marginBottom: 16 }} data-testid="item-add-discount">
            {t('billingSetup.form.addDiscount')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** The communities the item is billed in: each with an optional own price and an automatic billing day. */
export function CommunitiesList({ kind, meterKind }: { kind: FeeKind; meterKind?: MeterKind | null }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const priceRule = usePriceRule(false);
  const unit = t(priceUnitKey(kind, meterKind));
  return (
    <Form.List name="communities">
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical data-testid="item-communities">
          {fields.length > 0 && (
            <Row gutter={8}>
              <Col flex="200px">
                <Typography.Text type="secondary">{t('billingSetup.form.community')}</Typography.Text>
              </Col>
              <Col flex="auto">
                <Typography.Text type="secondary">{t('billingSetup.form.communityPrice')}</Typography.Text>
              </Col>
              <Col flex="160px">
                <Typography.Text type="secondary">{t('billingSetup.form.autoBillDay')}</Typography.Text>
              </Col>
              <Col flex="32px" />
            </Row>
          )}
          {fields.map((f) => (
            <Row key={f.key} gutter={8} align="top">
              <Col flex="200px">
                <Form.Item name={[f.name, 'communityId']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 8 }}>
                  <Select options={me.communities.map((c) => ({ value: c.id, label: c.name }))} />
                </Form.Item>
              </Col>
              <Col flex="auto">
                <Form.Item name={[f.name, 'unitPrice']} rules={priceRule} style={{ marginBottom: 8 }}>
                  <Input suffix={unit} placeholder={t('billingSetup.form.sameAsItem')} />
                </Form.Item>
              </Col>
              <Col flex="160px">
                <Form.Item name={[f.name, 'autoBillDay']} style={{ marginBottom: 8 }}>
                  <InputNumber min={1} max={28} precision={0} prefix={t('billingSetup.form.dayPrefix')} suffix={t('billingSetup.form.daySuffix')} placeholder={t('billingSetup.form.manual')} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col flex="32px">
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= me.communities.length} style={{ marginBottom: 16 }}>
            {t('billingSetup.form.addCommunity')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
