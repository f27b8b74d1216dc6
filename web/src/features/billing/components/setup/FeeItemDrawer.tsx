import { useState } from 'react';
import { Alert, App, Button, Col, Divider, Drawer, Flex, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CYCLES, FEE_KINDS, METER_KINDS, ROUNDINGS } from '../../../../../../src/modules/billing/schema.ts';
import { fromDate, showServerErrors, toDate } from '../../../../lib/form.ts';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { useSaveFeeItem, type Cycle, type FeeItem, type FeeKind, type MeterKind, type Rounding } from '../../api-setup.ts';
import { CommunitiesList, DiscountsList, LateFeeFields, TiersList, usePriceRule } from './FeeItemFields.tsx';
import { METERED_KINDS, priceUnitKey } from './periods.ts';

type BalanceKind = FeeItem['balanceKind'];

interface Values {
  kind: FeeKind;
  name: string;
  priceMode: 'flat' | 'tiers';
  unitPrice?: string;
  tiers?: Array<{ upTo?: string; unitPrice?: string }>;
  areaBasis: 'built' | 'inner';
  meterKind?: MeterKind;
  shareMethod?: 'area' | 'household';
  rounding: Rounding;
  cycle: Cycle;
  billingMode: 'prepaid' | 'postpaid';
  dueFrom: 'periodStart' | 'periodEnd';
  dueDays: number;
  prorate: boolean;
  lateFeeOn: boolean;
  lateFee?: { graceDays?: number; mode: 'perDay' | 'perMonth'; perDayPermille?: string; perMonthFen?: string; capFen?: string };
  rentIncreasePercent?: string;
  rentIncreaseEveryMonths?: number;
  discounts?: Array<{ kind: 'prepay' | 'vacancy' | 'fixed'; payMonths?: number; freeMonths?: number; percent?: string; reductionFen?: string; validFrom?: Dayjs; validTo?: Dayjs }>;
  communities?: Array<{ communityId?: string; unitPrice?: string; autoBillDay?: number }>;
  balanceKind: BalanceKind;
  autoDeduct: boolean;
}

/** Which prepaid balance pays an item unless told otherwise (the server's default too). */
export function defaultBalanceKind(kind: FeeKind): BalanceKind {
  if (kind === 'property') return 'property';
  return METERED_KINDS.includes(kind) ? 'utilities' : 'general';
}

const yuanText = (fen: number | null | undefined) => (fen === null || fen === undefined ? undefined : formatYuan(fen).replace(/,/g, ''));
const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

function initialValues(item: FeeItem | null, communityId: string | undefined): Partial<Values> {
  if (!item) {
    return {
      kind: 'property',
      priceMode: 'flat',
      tiers: [{}, {}],
      areaBasis: 'built',
      rounding: 'halfUp',
      cycle: 'monthly',
      billingMode: 'prepaid',
      dueFrom: 'periodStart',
      dueDays: 15,
      prorate: true,
      lateFeeOn: false,
      lateFee: { graceDays: 0, mode: 'perDay' },
      discounts: [],
      communities: communityId ? [{ communityId }] : [],
      balanceKind: 'property',
      autoDeduct: false,
    };
  }
  const lf = item.lateFee;
  return {
    kind: item.kind,
    name: item.name,
    priceMode: item.tiers ? 'tiers' : 'flat',
    unitPrice: item.unitPrice ?? undefined,
    tiers: item.tiers ? item.tiers.map((x) => ({ upTo: x.upTo ?? undefined, unitPrice: x.unitPrice })) : [{}, {}],
    areaBasis: item.areaBasis,
    meterKind: item.meterKind ?? undefined,
    shareMethod: item.shareMethod ?? undefined,
    rounding: item.rounding,
    cycle: item.cycle,
    billingMode: item.billingMode,
    dueFrom: item.dueFrom,
    dueDays: item.dueDays,
    prorate: item.prorate,
    lateFeeOn: Boolean(lf),
    lateFee: lf
      ? { graceDays: lf.graceDays, mode: lf.perMonthFen ? 'perMonth' : 'perDay', perDayPermille: lf.perDayPermille, perMonthFen: yuanText(lf.perMonthFen), capFen: yuanText(lf.capFen) }
      : { graceDays: 0, mode: 'perDay' },
    rentIncreasePercent: item.rentIncreasePercent ?? undefined,
    rentIncreaseEveryMonths: item.rentIncreaseEveryMonths ?? undefined,
    discounts: item.discounts.map((d) => ({
      kind: d.kind,
      payMonths: d.payMonths ?? undefined,
      freeMonths: d.freeMonths ?? undefined,
      percent: d.percent ?? undefined,
      reductionFen: yuanText(d.reductionFen),
      validFrom: fromDate(d.validFrom),
      validTo: fromDate(d.validTo),
    })),
    communities: item.communities.map((c) => ({ communityId: c.communityId, unitPrice: c.unitPrice ?? undefined, autoBillDay: c.autoBillDay ?? undefined })),
    balanceKind: item.balanceKind,
    autoDeduct: item.autoDeduct,
  };
}

/** The request body: only the fields that apply to the kind; yuan typed by the user as integer 分. */
function bodyOf(v: Values) {
  const kind = v.kind;
  const metered = METERED_KINDS.includes(kind);
  const useTiers = metered && v.priceMode === 'tiers';
  const fen = (text: string | undefined) => (blank(text) === null ? null : yuanToFen(text!));
  const lf = v.lateFee;
  return {
    name: v.name.trim(),
    unitPrice: useTiers ? null : blank(v.unitPrice),
    tiers: useTiers ? (v.tiers ?? []).map((x) => ({ upTo: blank(x.upTo), unitPrice: blank(x.unitPrice) ?? '' })) : null,
    areaBasis: v.areaBasis,
    meterKind: kind === 'shared' ? (v.meterKind ?? null) : null,
    shareMethod: kind === 'shared' ? (v.shareMethod ?? null) : null,
    rounding: v.rounding,
    cycle: kind === 'oneOff' ? ('monthly' as const) : v.cycle,
    billingMode: v.billingMode,
    dueFrom: v.dueFrom,
    dueDays: v.dueDays,
    prorate: v.prorate,
    lateFee:
      v.lateFeeOn && lf
        ? {
            graceDays: lf.graceDays ?? 0,
            ...(lf.mode === 'perMonth' ? { perMonthFen: fen(lf.perMonthFen) ?? undefined } : { perDayPermille: blank(lf.perDayPermille) ?? undefined }),
            capFen: fen(lf.capFen),
          }
        : null,
    rentIncreasePercent: kind === 'rent' ? blank(v.rentIncreasePercent) : null,
    rentIncreaseEveryMonths: kind === 'rent' ? (v.rentIncreaseEveryMonths ?? null) : null,
    discounts: (v.discounts ?? []).map((d) => ({
      kind: d.kind,
      ...(d.kind === 'prepay' && { payMonths: d.payMonths, freeMonths: d.freeMonths }),
      ...(d.kind === 'vacancy' && { percent: blank(d.percent) ?? undefined }),
      ...(d.kind === 'fixed' && { reductionFen: fen(d.reductionFen) ?? undefined }),
      validFrom: toDate(d.validFrom) ?? null,
      validTo: toDate(d.validTo) ?? null,
    })),
    communities: (v.communities ?? []).filter((c) => c.communityId).map((c) => ({ communityId: c.communityId!, unitPrice: blank(c.unitPrice), autoBillDay: c.autoBillDay ?? null })),
    balanceKind: v.balanceKind,
    autoDeduct: v.autoDeduct,
  };
}

/** 收费项目 — create or edit in a drawer; the fields shown follow the kind, a 400 lands next to its field. */
export function FeeItemDrawer({ editing, communityId, onClose }: { editing: FeeItem | 'new' | null; communityId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveFeeItem();
  const item = editing && editing !== 'new' ? editing : null;
  const kind = (Form.useWatch('kind', form) ?? item?.kind ?? 'property') as FeeKind;
  const priceMode = Form.useWatch('priceMode', form) as Values['priceMode'] | undefined;
  const meterKind = Form.useWatch('meterKind', form) as MeterKind | undefined;
  const billingMode = Form.useWatch('billingMode', form) as Values['billingMode'] | undefined;
  const metered = METERED_KINDS.includes(kind);
  const flatPrice = !metered || priceMode !== 'tiers';
  const priceRule = usePriceRule(flatPrice);
  const unit = t(priceUnitKey(kind, meterKind));

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const body = bodyOf(v);
    save.mutate(
      { id: item?.id, input: item ? body : { kind: v.kind, ...body } },
      {
        onSuccess: () => {
          void message.success(item ? t('common.saved') : t('common.created'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Drawer
      open={editing !== null}
      onClose={onClose}
      size={760}
      title={item ? t('billingSetup.items.editTitle', { name: item.name }) : t('billingSetup.items.create')}
      destroyOnHidden
      data-testid="item-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="item-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="item-form-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues(item, communityId)}
        onValuesChange={(changed: Partial<Values>) => {
          // A new item's balance follows its kind until the user picks one.
          if (!item && changed.kind) form.setFieldsValue({ balanceKind: defaultBalanceKind(changed.kind), billingMode: METERED_KINDS.includes(changed.kind) ? 'postpaid' : 'prepaid', dueFrom: METERED_KINDS.includes(changed.kind) ? 'periodEnd' : 'periodStart' });
          if (changed.billingMode) form.setFieldsValue({ dueFrom: changed.billingMode === 'postpaid' ? 'periodEnd' : 'periodStart' });
        }}
      >
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="kind" label={t('billingSetup.items.kind')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select disabled={Boolean(item)} options={FEE_KINDS.map((k) => ({ value: k, label: t(`billingSetup.kinds.${k}`) }))} data-testid="item-kind" />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="name" label={t('billingSetup.items.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 40, message: t('validation.tooLong', { max: '40' }) }]}>
              <Input maxLength={40} placeholder={t('billingSetup.form.namePlaceholder')} data-testid="item-name" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain>
          {t('billingSetup.form.pricing')}
        </Divider>
        {kind === 'shared' && (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="meterKind" label={t('billingSetup.form.meterKind')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select options={METER_KINDS.map((k) => ({ value: k, label: t(`billingSetup.meterKinds.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="shareMethod" label={t('billingSetup.form.shareMethod')} rules={[{ required: true, message: t('validation.required') }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'area', label: t('billingSetup.shareMethods.area') },
                    { value: 'household', label: t('billingSetup.shareMethods.household') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
        )}
        {metered && (
          <Form.Item name="priceMode" label={t('billingSetup.form.priceMode')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'flat', label: t('billingSetup.form.flatPrice') },
                { value: 'tiers', label: t('billingSetup.form.tieredPrice') },
              ]}
              data-testid="item-price-mode"
            />
          </Form.Item>
        )}
        <Row gutter={16}>
          {flatPrice ? (
            <Col span={12}>
              <Form.Item name="unitPrice" label={t('billingSetup.items.unitPrice')} rules={priceRule} extra={t('billingSetup.form.priceHint')}>
                <Input suffix={unit} placeholder={kind === 'property' ? '1.80' : undefined} data-testid="item-price" />
              </Form.Item>
            </Col>
          ) : (
            <Col span={24}>
              <Form.Item label={t('billingSetup.form.tiers')} required>
                <TiersList kind={kind} meterKind={meterKind} />
              </Form.Item>
            </Col>
          )}
          {kind === 'property' && (
            <Col span={12}>
              <Form.Item name="areaBasis" label={t('billingSetup.form.areaBasis')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'built', label: t('billingSetup.areaBases.built') },
                    { value: 'inner', label: t('billingSetup.areaBases.inner') },
                  ]}
                />
              </Form.Item>
            </Col>
          )}
        </Row>
        {kind === 'rent' && (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="rentIncreaseEveryMonths" label={t('billingSetup.form.rentEvery')}>
                <InputNumber min={1} max={120} precision={0} suffix={t('billingSetup.form.monthsUnit')} placeholder={t('common.optional')} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="rentIncreasePercent" label={t('billingSetup.form.rentIncrease')}>
                <Input suffix="%" placeholder={t('common.optional')} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item name="rounding" label={t('billingSetup.items.rounding')} extra={t('billingSetup.form.roundingHint')}>
          <Radio.Group optionType="button" options={ROUNDINGS.map((r) => ({ value: r, label: t(`billingSetup.roundings.${r}`) }))} />
        </Form.Item>

        <Divider titlePlacement="start" plain>
          {t('billingSetup.form.cycleSection')}
        </Divider>
        <Row gutter={16}>
          {kind !== 'oneOff' && (
            <Col span={12}>
              <Form.Item name="cycle" label={t('billingSetup.items.cycle')}>
                <Radio.Group optionType="button" options={CYCLES.map((c) => ({ value: c, label: t(`billingSetup.cycles.${c}`) }))} data-testid="item-cycle" />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="billingMode" label={t('billingSetup.items.billingMode')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'prepaid', label: t('billingSetup.billingModes.prepaid') },
                  { value: 'postpaid', label: t('billingSetup.billingModes.postpaid') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('billingSetup.form.due')} required>
              <Flex gap={8}>
                <Form.Item name="dueFrom" noStyle>
                  <Select
                    style={{ width: 140 }}
                    options={[
                      { value: 'periodStart', label: t('billingSetup.dueFrom.periodStart') },
                      { value: 'periodEnd', label: t('billingSetup.dueFrom.periodEnd') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="dueDays" noStyle rules={[{ required: true, message: t('validation.required') }]}>
                  <InputNumber min={0} max={365} precision={0} suffix={t('billingSetup.form.daysAfter')} style={{ width: 140 }} />
                </Form.Item>
              </Flex>
            </Form.Item>
          </Col>
          {kind !== 'oneOff' && (
            <Col span={12}>
              <Form.Item name="prorate" valuePropName="checked" label={t('billingSetup.items.prorate')} extra={t('billingSetup.form.prorateHint')}>
                <Switch />
              </Form.Item>
            </Col>
          )}
        </Row>
        {billingMode === 'postpaid' && metered && <Alert type="info" showIcon title={t('billingSetup.form.meteredHint')} style={{ marginBottom: 16 }} />}

        <Divider titlePlacement="start" plain>
          {t('billingSetup.form.lateFeeSection')}
        </Divider>
        <LateFeeFields />

        <Divider titlePlacement="start" plain>
          {t('billingSetup.items.discounts')}
        </Divider>
        <DiscountsList kind={kind} />

        <Divider titlePlacement="start" plain>
          {t('billingSetup.items.communities')}
        </Divider>
        <CommunitiesList kind={kind} meterKind={meterKind} />

        <Divider titlePlacement="start" plain>
          {t('billingSetup.form.balanceSection')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="balanceKind" label={t('billingSetup.items.balanceKind')}>
              <Select options={(['general', 'property', 'utilities'] as const).map((b) => ({ value: b, label: t(`billingSetup.balanceKinds.${b}`) }))} data-testid="item-balance-kind" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="autoDeduct" valuePropName="checked" label={t('billingSetup.items.autoDeduct')} extra={t('billingSetup.form.autoDeductHint')}>
              <Switch data-testid="item-auto-deduct" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
