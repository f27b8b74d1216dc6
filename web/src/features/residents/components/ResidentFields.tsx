import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { createResidentBody } from '../../../../../src/modules/residents/schema.ts';
import { checkIdNumber } from '../../../../../src/modules/residents/rules.ts';
import { zodField, zodRule } from '../../../lib/form.ts';
import { CARE_FLAGS, ID_TYPES } from '../labels.tsx';

const shape = createResidentBody.shape;

/**
 * A new person's fields (name, phone, document), under `prefix` in a larger form (['resident'] in the link and
 * move-in forms) or at the top level. `extended` adds gender, care flags and notes.
 */
export function ResidentFields({ prefix = [], extended = false, maskedPhone, testIdPrefix = 'resident' }: { prefix?: string[]; extended?: boolean; maskedPhone?: string; testIdPrefix?: string }) {
  const { t } = useTranslation();
  const n = (name: string) => [...prefix, name];
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name={n('name')} label={t('residents.name')} {...zodField(shape.name)}>
          <Input maxLength={40} data-testid={`${testIdPrefix}-name`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        {/* An edit form may hold a masked phone (138****1234): it passes as long as the user leaves it alone. */}
        <Form.Item name={n('phone')} label={t('residents.phone')} rules={[zodRule(shape.phone, 'validation.format', maskedPhone)]}>
          <Input inputMode="tel" maxLength={11} data-testid={`${testIdPrefix}-phone`} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name={n('idType')} label={t('residents.idType')}>
          <Select options={ID_TYPES.map((k) => ({ value: k, label: t(`residents.idTypes.${k}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={16}>
        <Form.Item
          name={n('idNumber')}
          label={t('residents.idNumber')}
          extra={t('residents.idNumberHint')}
          dependencies={[n('idType')]}
          rules={[
            ...zodField(shape.idNumber).rules,
            // The same GB 11643 check the server makes, so a mistyped digit shows at once. A masked number left alone passes.
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (!value || value.includes('*') || (getFieldValue(n('idType')) ?? 'idCard') !== 'idCard') return;
                const c = checkIdNumber(value);
                if (!c.ok) throw new Error(t('residents.idInvalid', { reason: t(`residents.idReasons.${c.reason}`) }));
              },
            }),
          ]}
        >
          <Input maxLength={40} data-testid={`${testIdPrefix}-id-number`} />
        </Form.Item>
      </Col>
      {extended && (
        <>
          <Col xs={24} md={8}>
            <Form.Item name={n('gender')} label={t('residents.gender')}>
              <Select
                allowClear
                options={[
                  { value: 'male', label: t('residents.genders.male') },
                  { value: 'female', label: t('residents.genders.female') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name={n('careFlags')} label={t('residents.careFlagsLabel')} {...zodField(shape.careFlags)}>
              <Select mode="multiple" allowClear options={CARE_FLAGS.map((f) => ({ value: f, label: t(`residents.careFlags.${f}`) }))} data-testid={`${testIdPrefix}-care-flags`} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={n('profileNote')} label={t('residents.profileNote')} {...zodField(shape.profileNote)}>
              <Input.TextArea rows={2} maxLength={500} placeholder={t('residents.profileNoteHint')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={n('safetyNote')} label={t('residents.safetyNote')} {...zodField(shape.safetyNote)}>
              <Input.TextArea rows={2} maxLength={500} placeholder={t('residents.safetyNoteHint')} />
            </Form.Item>
          </Col>
        </>
      )}
    </Row>
  );
}

/** Server fields of a resident created inside another form, mapped onto that form's `resident.*` fields. */
export const RESIDENT_ALIASES = { name: 'resident.name', phone: 'resident.phone', idType: 'resident.idType', idNumber: 'resident.idNumber' };
