import { useEffect, useState } from 'react';
import { Alert, Cascader, Col, Divider, Form, Input, Modal, Radio, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { COMMUNITY_TYPES, createCommunityBody, MANAGEMENT_MODES, SERVICE_LEVELS } from '../../../../../src/modules/communities/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useDivisions } from '../../estate/api.ts';
import { useCreateCommunity, useUpdateCommunity, type Community } from '../api.ts';
import { greenRatio } from '../labels.ts';

interface Values {
  name: string;
  code: string;
  timeZone: string;
  region?: string[];
  address?: string;
  landArea?: string;
  buildingArea?: string;
  greenArea?: string;
  serviceLevel?: Community['serviceLevel'];
  managementMode?: Community['managementMode'];
  communityType?: Community['communityType'];
  enclosed: boolean;
}

// Mainland China uses one zone; the others are there for communities in Hong Kong, Macau or Taiwan.
const TIME_ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei'];

/**
 * The cascader's path as the API's three codes. A city code ends in 00 (东莞市 441900 has no districts); a code
 * that does not is a district, which in a municipality (北京, 上海…) sits directly under the province.
 */
export function regionCodes(path: string[] | undefined): { provinceCode: string | null; cityCode: string | null; districtCode: string | null } {
  const [province, ...rest] = path ?? [];
  return {
    provinceCode: province ?? null,
    cityCode: rest.find((c) => c.endsWith('00')) ?? null,
    districtCode: rest.find((c) => !c.endsWith('00')) ?? null,
  };
}

const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** Create a community, or edit its details: address with province/city/district, areas, service level and mode. */
export function CommunityFormModal({ open, community, onClose }: { open: boolean; community?: Community; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateCommunity();
  const update = useUpdateCommunity();
  const divisions = useDivisions(open);
  const shape = createCommunityBody.shape;
  const land = Form.useWatch('landArea', form);
  const green = Form.useWatch('greenArea', form);
  const ratio = greenRatio(land, green);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    // The server names provinceCode / cityCode / districtCode; they all belong to the one cascader.
    const onError = (err: unknown) => setFormError(showServerErrors(form, err, { provinceCode: 'region', cityCode: 'region', districtCode: 'region' }));
    const details = {
      ...regionCodes(v.region),
      address: blankToNull(v.address),
      landArea: blankToNull(v.landArea),
      buildingArea: blankToNull(v.buildingArea),
      greenArea: blankToNull(v.greenArea),
      serviceLevel: v.serviceLevel ?? null,
      managementMode: v.managementMode ?? null,
      communityType: v.communityType ?? null,
      enclosed: v.enclosed,
    };
    if (community) {
      update.mutate({ id: community.id, input: { name: v.name, ...details } }, { onSuccess: onClose, onError });
    } else {
      create.mutate({ ...compact({ name: v.name, code: v.code, timeZone: v.timeZone }), ...details }, { onSuccess: onClose, onError });
    }
  };

  return (
    <Modal
      open={open}
      title={community ? t('communities.edit') : t('communities.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={760}
      okButtonProps={{ 'data-testid': 'community-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          community
            ? {
                name: community.name,
                code: community.code,
                timeZone: community.timeZone,
                region: [community.provinceCode, community.cityCode, community.districtCode].filter((c): c is string => Boolean(c)),
                address: community.address ?? undefined,
                landArea: community.landArea ?? undefined,
                buildingArea: community.buildingArea ?? undefined,
                greenArea: community.greenArea ?? undefined,
                serviceLevel: community.serviceLevel,
                managementMode: community.managementMode,
                communityType: community.communityType,
                enclosed: community.enclosed,
              }
            : { timeZone: 'Asia/Shanghai', enclosed: true }
        }
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('communities.name')} {...zodField(shape.name)}>
              <Input maxLength={60} data-testid="community-name" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="code" label={t('communities.code')} tooltip={community ? undefined : t('communities.codeHint')} {...(community ? {} : zodField(shape.code, 'validation.communityCode'))}>
              <Input maxLength={32} disabled={Boolean(community)} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="timeZone" label={t('communities.timeZone')}>
              <Select disabled={Boolean(community)} options={TIME_ZONES.map((z) => ({ value: z, label: z }))} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>
          {t('communities.sectionAddress')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="region" label={t('communities.region')} extra={t('communities.regionHint')}>
              <Cascader
                options={divisions.data?.items}
                fieldNames={{ label: 'name', value: 'code', children: 'children' }}
                showSearch={{ filter: (input, path) => path.some((o) => String(o.name).includes(input)) }}
                placeholder={t('communities.regionPlaceholder')}
                loading={divisions.isPending}
                data-testid="community-region"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="address" label={t('communities.street')} {...zodField(shape.address)}>
              <Input maxLength={200} placeholder={t('communities.streetPlaceholder')} data-testid="community-address" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>
          {t('communities.sectionAreas')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="landArea" label={t('communities.landArea')} {...zodField(shape.landArea)}>
              <Input inputMode="decimal" suffix="㎡" data-testid="community-land-area" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="buildingArea" label={t('communities.buildingArea')} {...zodField(shape.buildingArea)}>
              <Input inputMode="decimal" suffix="㎡" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="greenArea"
              label={t('communities.greenArea')}
              {...zodField(shape.greenArea)}
              extra={
                <Typography.Text type="secondary" data-testid="community-green-ratio">
                  {t('communities.greenRatio')}：{ratio === null ? '—' : `${ratio}%`}
                </Typography.Text>
              }
            >
              <Input inputMode="decimal" suffix="㎡" data-testid="community-green-area" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>
          {t('communities.sectionManagement')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="serviceLevel" label={t('communities.serviceLevel')}>
              <Select allowClear options={SERVICE_LEVELS.map((s) => ({ value: s, label: t(`communities.serviceLevels.${s}`) }))} data-testid="community-service-level" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="managementMode" label={t('communities.managementMode')}>
              <Select allowClear options={MANAGEMENT_MODES.map((s) => ({ value: s, label: t(`communities.managementModes.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="communityType" label={t('communities.communityType')}>
              <Select allowClear options={COMMUNITY_TYPES.map((s) => ({ value: s, label: t(`communities.communityTypes.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="enclosed" label={t('communities.enclosed')} style={{ marginBottom: 0 }}>
              <Radio.Group
                options={[
                  { value: true, label: t('communities.enclosedYes') },
                  { value: false, label: t('communities.enclosedNo') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
