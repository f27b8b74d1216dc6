import { useEffect, useState } from 'react';
import { Alert, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { createResidentBody } from '../../../../../src/modules/residents/schema.ts';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { useCreateResident, useUpdateResident, type CareFlag, type IdType, type ResidentDetail } from '../api.ts';
import { ResidentFields } from './ResidentFields.tsx';
import { isCareFlag } from '../labels.tsx';

interface Values {
  communityId: string;
  name: string;
  phone?: string;
  idType: IdType;
  idNumber?: string;
  gender?: 'male' | 'female' | null;
  careFlags: CareFlag[];
  profileNote?: string;
  safetyNote?: string;
}

const orNull = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

/** Registers a resident, or edits one. Masked phone and ID number are sent only when the user changed them. */
export function ResidentFormModal({
  open,
  resident,
  communityId,
  onClose,
  onCreated,
}: {
  open: boolean;
  resident?: ResidentDetail;
  communityId?: string;
  onClose: () => void;
  onCreated?: (r: ResidentDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateResident();
  const update = useUpdateResident();

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    if (resident) {
      const phone = orNull(v.phone);
      const idNumber = orNull(v.idNumber);
      update.mutate(
        {
          id: resident.id,
          input: {
            name: v.name,
            idType: v.idType,
            gender: v.gender ?? null,
            careFlags: v.careFlags ?? [],
            profileNote: orNull(v.profileNote),
            safetyNote: orNull(v.safetyNote),
            ...(phone !== resident.phone && { phone }),
            ...(idNumber !== resident.idNumber && { idNumber }),
          },
        },
        { onSuccess: onClose, onError },
      );
    } else {
      create.mutate(
        { ...v, phone: orNull(v.phone), idNumber: orNull(v.idNumber), gender: v.gender ?? null, profileNote: orNull(v.profileNote), safetyNote: orNull(v.safetyNote) },
        {
          onSuccess: (r) => {
            onClose();
            onCreated?.(r);
          },
          onError,
        },
      );
    }
  };

  return (
    <Modal
      open={open}
      title={resident ? t('residents.edit') : t('residents.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={680}
      okButtonProps={{ 'data-testid': 'resident-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          resident
            ? {
                name: resident.name,
                phone: resident.phone ?? undefined,
                idType: resident.idType,
                idNumber: resident.idNumber ?? undefined,
                gender: resident.gender,
                careFlags: resident.careFlags.filter(isCareFlag),
                profileNote: resident.profileNote ?? undefined,
                safetyNote: resident.safetyNote ?? undefined,
              }
            : { communityId, idType: 'idCard', careFlags: [] }
        }
      >
        {!resident && (
          <Form.Item name="communityId" label={t('residents.community')} {...zodField(createResidentBody.shape.communityId)}>
            <CommunitySelect width={240} testId="resident-community" />
          </Form.Item>
        )}
        <ResidentFields extended maskedPhone={resident?.phone ?? undefined} />
      </Form>
    </Modal>
  );
}
