/*
 * The 68 functions of the PKCS#11 v2.40 CK_FUNCTION_LIST, in the order of
 * that struct (pkcs11.h, "struct ck_function_list").  One list, expanded by
 * X-macros into the function-id enum, the name table used by the trace and
 * the fault.function key, and the emulator's own function list, so that the
 * three can never disagree.  tokenctl_emu.c checks with a static assertion
 * that the list has as many entries as the header's struct.
 */
#ifndef TOKENCTL_EMU_FUNCTIONS_H
#define TOKENCTL_EMU_FUNCTIONS_H

#define EMU_FUNCTIONS(X) \
	X(C_Initialize) \
	X(C_Finalize) \
	X(C_GetInfo) \
	X(C_GetFunctionList) \
	X(C_GetSlotList) \
	X(C_GetSlotInfo) \
	X(C_GetTokenInfo) \
	X(C_GetMechanismList) \
	X(C_GetMechanismInfo) \
	X(C_InitToken) \
	X(C_InitPIN) \
	X(C_SetPIN) \
	X(C_OpenSession) \
	X(C_CloseSession) \
	X(C_CloseAllSessions) \
	X(C_GetSessionInfo) \
	X(C_GetOperationState) \
	X(C_SetOperationState) \
	X(C_Login) \
	X(C_Logout) \
	X(C_CreateObject) \
	X(C_CopyObject) \
	X(C_DestroyObject) \
	X(C_GetObjectSize) \
	X(C_GetAttributeValue) \
	X(C_SetAttributeValue) \
	X(C_FindObjectsInit) \
	X(C_FindObjects) \
	X(C_FindObjectsFinal) \
	X(C_EncryptInit) \
	X(C_Encrypt) \
	X(C_EncryptUpdate) \
	X(C_EncryptFinal) \
	X(C_DecryptInit) \
	X(C_Decrypt) \
	X(C_DecryptUpdate) \
	X(C_DecryptFinal) \
	X(C_DigestInit) \
	X(C_Digest) \
	X(C_DigestUpdate) \
	X(C_DigestKey) \
	X(C_DigestFinal) \
	X(C_SignInit) \
	X(C_Sign) \
	X(C_SignUpdate) \
	X(C_SignFinal) \
	X(C_SignRecoverInit) \
	X(C_SignRecover) \
	X(C_VerifyInit) \
	X(C_Verify) \
	X(C_VerifyUpdate) \
	X(C_VerifyFinal) \
	X(C_VerifyRecoverInit) \
	X(C_VerifyRecover) \
	X(C_DigestEncryptUpdate) \
	X(C_DecryptDigestUpdate) \
	X(C_SignEncryptUpdate) \
	X(C_DecryptVerifyUpdate) \
	X(C_GenerateKey) \
	X(C_GenerateKeyPair) \
	X(C_WrapKey) \
	X(C_UnwrapKey) \
	X(C_DeriveKey) \
	X(C_SeedRandom) \
	X(C_GenerateRandom) \
	X(C_GetFunctionStatus) \
	X(C_CancelFunction) \
	X(C_WaitForSlotEvent)

#define EMU_FN_ENUM(name) EMU_FN_##name,
enum emu_fn {
	EMU_FUNCTIONS(EMU_FN_ENUM)
	EMU_FN_COUNT
};
#undef EMU_FN_ENUM

#endif
